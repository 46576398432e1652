package io.pbft.core;

import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.deliver;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static io.pbft.core.CoreFixtures.sent;
import static io.pbft.core.CoreFixtures.viewChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica restarted from the records its core handed out ({@link Effects#durable()}): it must
 * never send what contradicts a message it sent before the crash, must carry into a view change the
 * certificates it committed on, and must execute again what it executed after its snapshot. Each
 * test also shows that a replica without its records would have done otherwise, so the records are
 * what make the difference.
 */
class RecoveryTest {

    /** What a driver would have on disk: every durable record, in the order the core handed them out. */
    private final List<DurableRecord> disk = new ArrayList<>();
    private long now = 1;

    private Effects kept(Effects effects) {
        disk.addAll(effects.durable());
        return effects;
    }

    private Effects deliverKept(Replica replica, int from, ReplicaMessage message) {
        return kept(deliver(replica, from, message, now++));
    }

    /** A fresh core for replica {@code id}, recovered from the disk with no snapshot. */
    private Replica restarted(int id) {
        Replica replica = CoreFixtures.replica(id);
        kept(replica.recover(0, ByteString.EMPTY, ByteString.EMPTY, List.copyOf(disk), now++));
        return replica;
    }

    @Test
    void aBackupThatPreparedOneBatchDoesNotPrepareAnotherAtTheSameSequenceNumber() {
        Replica backup = CoreFixtures.replica(1);
        PrePrepare first = prePrepare(0, 1, request(7, 1));
        assertThat(sent(deliverKept(backup, 0, first))).containsExactly(prepare(first, 1));
        PrePrepare equivocated = prePrepare(0, 1, request(8, 1)); // a faulty primary's second batch

        Replica recovered = restarted(1);
        Effects afterRestart = deliver(recovered, 0, equivocated, now++);

        assertThat(sent(afterRestart, Prepare.class)).isEmpty();
        assertThat(recovered.rejections().count(Rejection.CONFLICTING_MESSAGE)).isEqualTo(1);
        Replica forgetful = CoreFixtures.replica(1);
        assertThat(sent(deliver(forgetful, 0, equivocated, now++), Prepare.class))
                .containsExactly(prepare(equivocated, 1));
    }

    @Test
    void theCertificateABackupCommittedOnIsCarriedIntoItsNextViewChange() {
        Replica backup = CoreFixtures.replica(1);
        PrePrepare batch = prePrepare(0, 1, request(7, 1));
        deliverKept(backup, 0, batch);
        assertThat(sent(deliverKept(backup, 2, prepare(batch, 2)))).containsExactly(commit(batch, 1));

        Replica recovered = restarted(1);
        // Two others vote for view 1 (f + 1, so a correct one did): the replica joins them.
        deliver(recovered, 0, viewChange(1, 0), now++);
        Effects joined = deliver(recovered, 2, viewChange(1, 2), now++);

        List<ViewChange> votes = sent(joined, ViewChange.class);
        assertThat(votes).hasSize(1);
        assertThat(votes.get(0).prepared()).singleElement()
                .satisfies(certificate -> assertThat(certificate.prePrepare().message()).isEqualTo(batch));
    }

    @Test
    void aReplicaThatVotedToLeaveItsViewComesBackWaitingForTheNewView() {
        Replica backup = CoreFixtures.replica(3);
        deliverKept(backup, 0, viewChange(1, 0));
        deliverKept(backup, 2, viewChange(1, 2));
        assertThat(backup.isActive()).isFalse();

        Replica recovered = restarted(3);

        assertThat(recovered.view()).isEqualTo(1);
        assertThat(recovered.isActive()).isFalse();
        PrePrepare lateInViewZero = prePrepare(0, 1, request(7, 1));
        assertThat(sent(deliver(recovered, 0, lateInViewZero, now++), Prepare.class)).isEmpty();
        Replica forgetful = CoreFixtures.replica(3);
        assertThat(sent(deliver(forgetful, 0, lateInViewZero, now++), Prepare.class)).isNotEmpty();
    }

    @Test
    void aRestartedPrimaryDoesNotAssignASequenceNumberTwice() {
        Replica primary = CoreFixtures.replica(0);
        List<PrePrepare> before = sent(kept(primary.onRequest(request(7, 1), now++)), PrePrepare.class);
        assertThat(before).extracting(PrePrepare::sequence).containsExactly(1L);

        Replica recovered = restarted(0);
        List<PrePrepare> after = sent(recovered.onRequest(request(8, 1), now++), PrePrepare.class);

        assertThat(after).extracting(PrePrepare::sequence).containsExactly(2L);
    }

    @Test
    void whatExecutedAfterTheSnapshotExecutesAgainWithoutAPeer() {
        Replica backup = CoreFixtures.replica(1);
        PrePrepare batch = prePrepare(0, 1, request(7, 1));
        deliverKept(backup, 0, batch);
        deliverKept(backup, 2, prepare(batch, 2));
        deliverKept(backup, 0, commit(batch, 0));
        Effects committed = deliverKept(backup, 2, commit(batch, 2));
        assertThat(committed.executions()).extracting(Execution::sequence).containsExactly(1L);

        Replica recovered = CoreFixtures.replica(1);
        Effects recovery = recovered.recover(0, ByteString.EMPTY, ByteString.EMPTY, List.copyOf(disk), now++);

        assertThat(recovery.executions()).singleElement().satisfies(execution -> {
            assertThat(execution.sequence()).isEqualTo(1);
            assertThat(execution.requests()).containsExactly(request(7, 1));
        });
        assertThat(recovery.messages()).extracting(Outbound::message)
                .noneMatch(message -> message instanceof Commit || message instanceof Prepare);
    }

    @Test
    void aRestartedReplicaAnswersReadOnlyRequestsOnlyOnceItExecutedAgainWhatItHadExecuted() {
        Replica backup = CoreFixtures.replica(1);
        PrePrepare batch = prePrepare(0, 1, request(7, 1));
        deliverKept(backup, 0, batch);
        deliverKept(backup, 2, prepare(batch, 2));
        deliverKept(backup, 0, commit(batch, 0));
        deliverKept(backup, 2, commit(batch, 2));
        Request read = new Request(8, 1, ByteString.copyFromUtf8("read"), true, List.of());
        assertThat(backup.onRequest(read, now++).queries()).as("before the crash").hasSize(1);

        Replica recovered = CoreFixtures.replica(1);
        Effects recovery = recovered.recover(0, ByteString.EMPTY, ByteString.EMPTY, List.copyOf(disk), now++);
        Effects early = recovered.onRequest(read, now++);

        assertThat(early.queries()).as("with the state of its snapshot, older than what it executed").isEmpty();
        assertThat(recovered.rejections().count(Rejection.READ_ONLY_RECOVERING)).isEqualTo(1);
        Execution again = recovery.executions().get(0);
        recovered.onExecuted(again.sequence(), List.of(ByteString.EMPTY), ByteString.copyFromUtf8("state"), now++);
        assertThat(recovered.onRequest(read, now++).queries()).as("once executed again").hasSize(1);
    }

    /**
     * A batch this replica prepared but had not committed at the crash may have completed at the
     * others: its restarted state may be older than a write a client saw complete, until the
     * batch commits again.
     */
    @Test
    void aRestartedReplicaHoldsReadOnlyRequestsUntilWhatItPreparedExecutes() {
        Replica backup = CoreFixtures.replica(1);
        PrePrepare batch = prePrepare(0, 1, request(7, 1));
        deliverKept(backup, 0, batch);
        deliverKept(backup, 2, prepare(batch, 2));
        Request read = new Request(8, 1, ByteString.copyFromUtf8("read"), true, List.of());

        Replica recovered = CoreFixtures.replica(1);
        assertThat(recovered.recover(0, ByteString.EMPTY, ByteString.EMPTY, List.copyOf(disk), now++).executions())
                .as("nothing committed before the crash").isEmpty();
        assertThat(recovered.onRequest(read, now++).queries()).as("before the prepared batch executes").isEmpty();
        assertThat(recovered.rejections().count(Rejection.READ_ONLY_RECOVERING)).isEqualTo(1);

        deliver(recovered, 0, commit(batch, 0), now++);
        Effects committed = deliver(recovered, 2, commit(batch, 2), now++);
        Execution executed = committed.executions().get(0);
        recovered.onExecuted(executed.sequence(), List.of(ByteString.EMPTY), ByteString.copyFromUtf8("state"), now++);
        assertThat(recovered.onRequest(read, now++).queries()).as("once it executed").hasSize(1);
    }

    @Test
    void onlyAFreshReplicaRecovers() {
        Replica primary = CoreFixtures.replica(0);
        primary.onRequest(request(7, 1), now++);

        assertThatThrownBy(() -> primary.recover(0, ByteString.EMPTY, ByteString.EMPTY, List.of(), now))
                .isInstanceOf(IllegalStateException.class);
    }
}
