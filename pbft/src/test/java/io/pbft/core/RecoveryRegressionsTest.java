package io.pbft.core;

import static io.pbft.core.CoreFixtures.batchOf;
import static io.pbft.core.CoreFixtures.certificate;
import static io.pbft.core.CoreFixtures.deliver;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.request;
import static io.pbft.core.CoreFixtures.sent;
import static io.pbft.core.CoreFixtures.signed;
import static io.pbft.core.CoreFixtures.stableCheckpoint;
import static io.pbft.core.CoreFixtures.viewChange;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.CommittedBatch;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Replica#recover}: a fresh core restarted from what an earlier one logged, with invariants
 * checked after every input (K = 4, L = 8). Each case is a restart the deterministic simulator
 * found going wrong (chaos's CrashRestartRegressions replays those runs whole).
 */
class RecoveryRegressionsTest {

    private static final ByteString STATE = ByteString.copyFromUtf8("state");
    private static final ByteString EMPTY_TABLE = new ClientTable().encode();

    /** What replica 0 logged as the primary of view 0 for sequence numbers {@code from} to {@code to}. */
    private static List<DurableRecord> proposedAndExecuted(long from, long to) {
        List<DurableRecord> records = new ArrayList<>();
        for (long sequence = from; sequence <= to; sequence++) {
            PrePrepare prePrepare = prePrepare(0, sequence, request(100, sequence));
            records.add(new DurableRecord.PrePrepared(signed(prePrepare), batchOf(prePrepare)));
            records.add(new DurableRecord.Committed(sequence, prePrepare.batchDigest(), batchOf(prePrepare)));
        }
        return records;
    }

    private static DurableRecord.Stable stable(long sequence) {
        return new DurableRecord.Stable(stableCheckpoint(sequence, STATE, 0, 1, 2));
    }

    @Test
    void aBatchCommittedBeforeTheCrashExecutesAgainWithoutTheCertificateThatCommittedIt() {
        Replica backup = CoreFixtures.replica(1);

        Effects effects = backup.recover(0, ByteString.EMPTY, ByteString.EMPTY, proposedAndExecuted(1, 1), 10);

        assertThat(effects.executions()).extracting(Execution::sequence).containsExactly(1L);
    }

    @Test
    void batchesLoggedSinceASnapshotMoreThanAWindowBelowTheStableCheckpointExecuteAgain() {
        Replica backup = CoreFixtures.replica(1);
        List<DurableRecord> records = new ArrayList<>(proposedAndExecuted(1, 12));
        records.add(stable(12));

        Effects effects = backup.recover(0, ByteString.EMPTY, ByteString.EMPTY, records, 10);

        // Up to the first checkpoint, whose execution the driver reports before the rest go.
        assertThat(effects.executions()).extracting(Execution::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(effects.stateToFetch()).isEmpty();
    }

    @Test
    void batchesExecutedAgainBelowTheWindowLeaveTheLogOnceExecuted() {
        Replica backup = CoreFixtures.replica(1);
        List<DurableRecord> records = new ArrayList<>(proposedAndExecuted(1, 20));
        records.add(stable(20));

        executeAll(backup, backup.recover(0, ByteString.EMPTY, ByteString.EMPTY, records, 10));

        assertThat(backup.lastExecuted()).isEqualTo(20);
        assertThat(backup.logSize()).isEqualTo(8); // the window kept below the stable checkpoint: 13 to 20
    }

    /** Reports every execution {@code effects} asks for, and those the reports lead to, as a driver does. */
    private static void executeAll(Replica replica, Effects effects) {
        ArrayDeque<Execution> queue = new ArrayDeque<>(effects.executions());
        while (!queue.isEmpty()) {
            Execution execution = queue.poll();
            queue.addAll(replica.onExecuted(execution.sequence(), CoreFixtures.echo(execution),
                    execution.checkpoint() ? STATE : ByteString.EMPTY, 20).executions());
        }
    }

    @Test
    void batchesLoggedBelowTheWindowThatCannotReachTheStableCheckpointAreNotRestored() {
        Replica backup = CoreFixtures.replica(1);
        List<DurableRecord> records = new ArrayList<>(proposedAndExecuted(1, 3)); // then a gap
        records.add(stable(12));

        Effects effects = backup.recover(0, ByteString.EMPTY, ByteString.EMPTY, records, 10);

        assertThat(backup.logSize()).isZero();
        assertThat(effects.stateToFetch()).extracting(StableCheckpoint::sequence).containsExactly(12L);
    }

    @Test
    void aPrimaryRestartedFromASnapshotAboveItsStableCheckpointNumbersOnAfterWhatItPrePrepared() {
        Replica primary = CoreFixtures.replica(0);
        List<DurableRecord> records = new ArrayList<>(proposedAndExecuted(1, 8));
        records.add(stable(4));
        primary.recover(8, STATE, EMPTY_TABLE, records, 10);

        Effects effects = primary.onRequest(request(200, 1), 20);

        assertThat(sent(effects, PrePrepare.class)).singleElement()
                .satisfies(prePrepare -> assertThat(prePrepare.sequence()).isEqualTo(9));
    }

    @Test
    void aCertificateOfAViewLeftSinceIsCarriedIntoTheNextViewChange() {
        PrePrepare first = prePrepare(0, 1, request(100, 1));
        List<ViewChange> quorum = List.of(viewChange(1, 0, certificate(first, 1, 2)),
                viewChange(1, 1, certificate(first, 1, 2)), viewChange(1, 2));
        NewView enteredView1 = new NewView(1, quorum.stream().map(CoreFixtures::signed).toList(),
                List.of(signed(new PrePrepare(1, 1, first.batchDigest(), 1))), 1);
        Replica backup = CoreFixtures.replica(3);
        // Committed and executed in view 0, then view 1 entered: its commit stood on the view-0
        // certificate, and it never prepared it again in view 1, where it had executed it already.
        backup.recover(0, ByteString.EMPTY, ByteString.EMPTY, List.of(
                new DurableRecord.PrePrepared(signed(first), batchOf(first)),
                new DurableRecord.Prepared(certificate(first, 1, 2)),
                new DurableRecord.Committed(1, first.batchDigest(), batchOf(first)),
                new DurableRecord.NewViewEntered(signed(enteredView1), 0)), 10);

        deliver(backup, 0, viewChange(2, 0), 20);
        Effects joined = deliver(backup, 2, viewChange(2, 2), 20);

        // Without it, the next new view would not re-issue sequence number 1, and a primary would
        // number another batch there, which replicas that executed 1 already could never execute.
        assertThat(sent(joined, ViewChange.class)).singleElement()
                .satisfies(vote -> assertThat(vote.prepared()).extracting(PreparedCertificate::sequence)
                        .containsExactly(1L));
    }

    @Test
    void aFetchUnderWayMovesOnToANewerStableCheckpointEvenOnceTheReplicaCouldExecuteItsWayThere() {
        Replica backup = CoreFixtures.replica(3);
        Effects first = null;
        for (int signer = 0; signer < 3; signer++) {
            first = deliver(backup, signer, new Checkpoint(4, STATE, signer), 10);
        }
        assertThat(first.stateToFetch()).extracting(StableCheckpoint::sequence).containsExactly(4L);
        for (long sequence = 1; sequence <= 8; sequence++) {
            PrePrepare prePrepare = prePrepare(0, sequence, request(100, sequence));
            for (int attester = 1; attester <= 2; attester++) {
                deliver(backup, attester,
                        new CommittedBatch(sequence, prePrepare.batchDigest(), batchOf(prePrepare), attester), 20);
            }
        }

        Effects last = null;
        for (int signer = 0; signer < 3; signer++) {
            last = deliver(backup, signer, new Checkpoint(8, STATE, signer), 30);
        }

        // Its peers serve checkpoint 4 no longer; executing meanwhile would corrupt the fetch.
        assertThat(last.stateToFetch()).extracting(StableCheckpoint::sequence).containsExactly(8L);
        assertThat(last.executions()).isEmpty();
    }
}
