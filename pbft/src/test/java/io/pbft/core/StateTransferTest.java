package io.pbft.core;

import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.deliver;
import static io.pbft.core.CoreFixtures.echo;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static io.pbft.core.CoreFixtures.stableCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.driver.state.CheckpointDigests;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's side of state transfer: window 8, a checkpoint every 4 (CoreFixtures). */
class StateTransferTest {

    private static final ByteString STATE = ByteString.copyFromUtf8("state after 4");
    private long now = 1;

    /** Commits sequence numbers from..upTo at {@code replica} (backup 3 of view 0) without reporting any execution. */
    private List<Execution> commitWithoutExecuting(Replica replica, long from, long upTo) {
        List<Execution> dispatched = new ArrayList<>();
        for (long sequence = from; sequence <= upTo; sequence++) {
            PrePrepare prePrepare = prePrepare(0, sequence, request(40 + sequence, 1));
            deliver(replica, 0, prePrepare, now++);
            deliver(replica, 1, prepare(prePrepare, 1), now++);
            deliver(replica, 0, commit(prePrepare, 0), now++);
            dispatched.addAll(deliver(replica, 1, commit(prePrepare, 1), now++).executions());
        }
        return dispatched;
    }

    /** Reports each execution, with {@code checkpointState} at a checkpoint; the effects of the last report. */
    private Effects executeAll(Replica replica, List<Execution> dispatched, ByteString checkpointState) {
        Effects effects = Effects.NONE;
        for (Execution execution : dispatched) {
            effects = replica.onExecuted(execution.sequence(), echo(execution),
                    execution.checkpoint() ? checkpointState : ByteString.EMPTY, now++);
        }
        return effects;
    }

    @Test
    void nothingBeyondACheckpointIsDispatchedUntilTheCheckpointExecuted() {
        Replica backup = CoreFixtures.replica(3);

        List<Execution> dispatched = commitWithoutExecuting(backup, 1, 6);
        assertThat(dispatched).extracting(Execution::sequence).containsExactly(1L, 2L, 3L, 4L);

        for (Execution execution : dispatched.subList(0, 3)) {
            backup.onExecuted(execution.sequence(), echo(execution), ByteString.EMPTY, now++);
        }
        Effects afterCheckpoint = backup.onExecuted(4, echo(dispatched.get(3)), STATE, now++);

        assertThat(afterCheckpoint.executions()).extracting(Execution::sequence).containsExactly(5L, 6L);
        assertThat(afterCheckpoint.checkpointsTaken()).singleElement()
                .satisfies(taken -> assertThat(taken.sequence()).isEqualTo(4));
    }

    @Test
    void theCheckpointDigestCoversTheClientTable() {
        Replica backup = new Replica(CoreFixtures.config(3), CoreFixtures.SIGNER, new CheckpointDigests());
        List<Execution> dispatched = commitWithoutExecuting(backup, 1, 4);
        Effects effects = executeAll(backup, dispatched, STATE);

        CheckpointTaken taken = effects.checkpointsTaken().get(0);
        CheckpointDigests digests = new CheckpointDigests();
        assertThat(taken.checkpointDigest())
                .isEqualTo(digests.checkpointDigest(STATE, digests.clientTableDigest(taken.clientTable())))
                .isNotEqualTo(digests.checkpointDigest(STATE, digests.clientTableDigest(ByteString.EMPTY)));
        assertThat(effects.messages()).extracting(Outbound::message)
                .contains(new Checkpoint(4, taken.checkpointDigest(), 3));
    }

    @Test
    void aReplicaThatLearnsOfAStableCheckpointBeyondItsStateAsksForItOnce() {
        Replica behind = CoreFixtures.replica(3);
        deliver(behind, 0, new Checkpoint(12, STATE, 0), now++);
        deliver(behind, 1, new Checkpoint(12, STATE, 1), now++);
        Effects stable = deliver(behind, 2, new Checkpoint(12, STATE, 2), now++);

        assertThat(stable.stateToFetch()).containsExactly(stableCheckpoint(12, STATE, 0, 1, 2));
        assertThat(behind.onTick(now++).stateToFetch()).as("asked once per checkpoint").isEmpty();
    }

    @Test
    void installingTheStateResumesExecutionAfterTheCheckpointWithItsClientTable() {
        Replica source = CoreFixtures.replica(2);
        List<Execution> dispatched = commitWithoutExecuting(source, 1, 4);
        Effects effects = executeAll(source, dispatched, STATE);
        ByteString clientTable = effects.checkpointsTaken().get(0).clientTable();

        Replica behind = CoreFixtures.replica(3);
        for (int peer = 0; peer < 3; peer++) {
            deliver(behind, peer, new Checkpoint(4, STATE, peer), now++);
        }
        Effects installed = behind.onStateInstalled(4, STATE, clientTable, now++);

        assertThat(behind.lastExecuted()).isEqualTo(4);
        assertThat(behind.needsState()).isFalse();
        assertThat(installed.events()).contains(new ProtocolEvent.StateInstalled(4));
        // The client of sequence 4 retransmits: the installed table answers it as the others would.
        Effects retransmission = behind.onRequest(request(44, 1), now++);
        assertThat(retransmission.replies()).extracting(Reply::clientId, Reply::timestamp)
                .containsExactly(tuple(44L, 1L));
        // Sequence 5 commits and executes as usual.
        assertThat(commitWithoutExecuting(behind, 5, 5)).extracting(Execution::sequence).containsExactly(5L);
    }

    /**
     * A backup catching up learns of a client's request (clients send to everyone when replies are
     * slow), and the state it installs executed it already: it will never see that request execute,
     * and must not vote the primary out for it once the cluster falls idle, alone, in a view change
     * its peers never join.
     */
    @Test
    void aRequestTheInstalledStateExecutedIsNoLongerAwaited() {
        Replica behind = installedAfterAwaiting(request(44, 1));

        assertThat(CoreFixtures.runUntil(behind, now, now + 4 * behind.config().viewChangeTimeoutMillis()))
                .isEmpty();
        assertThat(behind.view()).isZero();
        assertThat(behind.isActive()).isTrue();
    }

    @Test
    void aRequestTheInstalledStateDidNotExecuteIsStillAwaited() {
        Replica behind = installedAfterAwaiting(request(44, 1), request(99, 1));

        assertThat(CoreFixtures.runUntil(behind, now, now + 4 * behind.config().viewChangeTimeoutMillis()))
                .containsExactly(new ProtocolEvent.ViewChangeStarted(1, ProtocolEvent.ViewChangeCause.REQUEST_TIMEOUT));
    }

    /** Backup 3 receives {@code awaited} from their clients, then installs the state of checkpoint 4, in which client 44's request 1 executed. */
    private Replica installedAfterAwaiting(Request... awaited) {
        Replica source = CoreFixtures.replica(2);
        ByteString clientTable = executeAll(source, commitWithoutExecuting(source, 1, 4), STATE)
                .checkpointsTaken().get(0).clientTable();
        Replica behind = CoreFixtures.replica(3);
        for (Request request : awaited) {
            behind.onRequest(request, now++);
        }
        for (int peer = 0; peer < 3; peer++) {
            deliver(behind, peer, new Checkpoint(4, STATE, peer), now++);
        }
        behind.onStateInstalled(4, STATE, clientTable, now++);
        assertThat(behind.lastExecuted()).isEqualTo(4);
        return behind;
    }

    @Test
    void aReplicaWhoseStateDivergedStopsExecutingFetchesTheCertifiedStateAndExecutesAgainFromIt() {
        Replica divergent = CoreFixtures.replica(3);
        List<Execution> dispatched = commitWithoutExecuting(divergent, 1, 4);
        Effects effects = executeAll(divergent, dispatched, ByteString.copyFromUtf8("a wrong state"));
        ByteString clientTable = effects.checkpointsTaken().get(0).clientTable();
        deliver(divergent, 0, new Checkpoint(4, STATE, 0), now++);
        deliver(divergent, 1, new Checkpoint(4, STATE, 1), now++);
        Effects certified = deliver(divergent, 2, new Checkpoint(4, STATE, 2), now++);

        assertThat(certified.events()).contains(new ProtocolEvent.CheckpointDiverged(4));
        assertThat(certified.stateToFetch()).containsExactly(stableCheckpoint(4, STATE, 0, 1, 2));
        assertThat(divergent.rejections().count(Rejection.CHECKPOINT_DIVERGED)).isEqualTo(1);
        assertThat(commitWithoutExecuting(divergent, 5, 6)).as("nothing executes on a divergent state").isEmpty();

        Effects repaired = divergent.onStateInstalled(4, STATE, clientTable, now++);

        assertThat(repaired.events()).contains(new ProtocolEvent.StateRepaired(4));
        assertThat(divergent.lastExecuted()).isEqualTo(4);
        assertThat(repaired.executions()).extracting(Execution::sequence).containsExactly(5L, 6L);
    }

    @Test
    void aStateThatIsNotTheStableCheckpointIsRefused() {
        Replica behind = CoreFixtures.replica(3);
        for (int peer = 0; peer < 3; peer++) {
            deliver(behind, peer, new Checkpoint(8, STATE, peer), now++);
        }

        behind.onStateInstalled(4, STATE, ByteString.EMPTY, now++);
        behind.onStateInstalled(8, ByteString.copyFromUtf8("another state"), ByteString.EMPTY, now++);

        assertThat(behind.lastExecuted()).isZero();
        assertThat(behind.rejections().snapshot()).containsEntry(Rejection.STALE_STATE, 2L);
    }

    @Test
    void aClientTableThatDoesNotParseIsRefusedAndTheTableKept() {
        ClientTable table = new ClientTable();
        table.markOrdered(request(7, 3), 1);
        table.recordReply(new Reply(0, 7, 3, 1, ByteString.copyFromUtf8("r")));
        ByteString before = table.encode();

        assertThatThrownBy(() -> table.replaceWith(before.substring(0, before.size() - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(table.encode()).isEqualTo(before);
        ClientTable copy = new ClientTable();
        copy.replaceWith(before);
        assertThat(copy.encode()).isEqualTo(before);
    }
}
