package io.pbft.core;

import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.CommittedBatch;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backup 1 with window 8 and a checkpoint every 4 sequence numbers. */
class CheckpointAndStatusTest {

    private static final ByteString STATE = ByteString.copyFromUtf8("state after 4");

    private Replica backup = CoreFixtures.replica(CoreFixtures.config(1));
    private long now = 1;

    private Effects deliver(int from, ReplicaMessage message) {
        return CoreFixtures.deliver(backup, from, message, now++);
    }

    /** Delivers {@code status} twice, a status interval apart: a peer that did not move is stalled. */
    private Effects deliverStalled(int from, Status status) {
        deliver(from, status);
        now += backup.config().statusIntervalMillis();
        return deliver(from, status);
    }

    /** Commits and executes sequence numbers 1..upTo, one request each; returns the last effects. */
    private Effects executeUpTo(long upTo) {
        return executeFrom(1, upTo);
    }

    private Effects executeFrom(long from, long upTo) {
        Effects last = Effects.NONE;
        for (long seq = from; seq <= upTo; seq++) {
            PrePrepare pp = prePrepare(0, seq, request(100 + seq, 1));
            deliver(0, pp);
            deliver(2, prepare(pp, 2));
            deliver(0, commit(pp, 0));
            Execution execution = deliver(2, commit(pp, 2)).executions().get(0);
            ByteString digest = execution.checkpoint() ? STATE : ByteString.EMPTY;
            last = backup.onExecuted(seq, CoreFixtures.echo(execution), digest, now++);
        }
        return last;
    }

    @Test
    void executingACheckpointSequenceBroadcastsTheStateDigest() {
        Effects effects = executeUpTo(4);

        assertThat(effects.messages()).extracting(Outbound::message).contains(new Checkpoint(4, STATE, 1));
    }

    @Test
    void aCheckpointBecomesStableWithTwoFPlusOneMatchingAndMovesTheWindow() {
        executeUpTo(4);
        deliver(2, new Checkpoint(4, STATE, 2));
        assertThat(backup.lowWatermark()).isZero(); // 2 of 3 needed

        deliver(3, new Checkpoint(4, STATE, 3));

        assertThat(backup.lowWatermark()).isEqualTo(4);
        // the window is now (4, 12]: sequence 12 is accepted, 13 is not
        Effects inside = deliver(0, prePrepare(0, 12, request(9, 1)));
        Effects beyond = deliver(0, prePrepare(0, 13, request(9, 2)));
        assertThat(inside.messages()).isNotEmpty();
        assertThat(beyond.messages()).isEmpty();
    }

    /** Executes 1..upTo (a multiple of 4) with peers 2 and 3 confirming each checkpoint. */
    private void executeWithStableCheckpointsUpTo(long upTo) {
        for (long seq = 4; seq <= upTo; seq += 4) {
            executeFrom(seq - 3, seq);
            deliver(2, new Checkpoint(seq, STATE, 2));
            deliver(3, new Checkpoint(seq, STATE, 3));
            assertThat(backup.lowWatermark()).isEqualTo(seq);
        }
    }

    @Test
    void stableCheckpointsDiscardTheLogButKeepOneWindowBelowForLaggards() {
        executeWithStableCheckpointsUpTo(12);

        assertThat(backup.logSize()).isEqualTo(8); // (4, 12]: the window below h = 12

        Effects effects = deliverStalled(3, new Status(0, true, 4, 4, 3));
        assertThat(effects.messages()).extracting(Outbound::message)
                .filteredOn(Commit.class::isInstance)
                .extracting(m -> ((Commit) m).sequence())
                .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void checkpointsWithAnotherDigestDoNotMakeItStable() {
        executeUpTo(4);
        ByteString other = ByteString.copyFromUtf8("another state");

        deliver(2, new Checkpoint(4, other, 2));
        deliver(3, new Checkpoint(4, other, 3));

        assertThat(backup.lowWatermark()).isZero();
    }

    @Test
    void aCheckpointOffTheIntervalIsMalformed() {
        deliver(2, new Checkpoint(3, STATE, 2));

        assertThat(backup.rejections().count(Rejection.MALFORMED_CHECKPOINT)).isEqualTo(1);
    }

    @Test
    void aStalledPeerIsAnsweredWithOwnMessagesAndItsWordThatTheBatchCommitted() {
        executeUpTo(2);

        Effects effects = deliverStalled(3, new Status(0, true, 1, 0, 3));

        PrePrepare second = prePrepare(0, 2, request(102, 1));
        assertThat(effects.messages()).allSatisfy(o -> assertThat(o.destination()).isEqualTo(3));
        // Stuck, it may lack a vote quorum for good: f + 1 such words let it execute the batch.
        assertThat(effects.messages()).extracting(Outbound::message).containsExactly(
                new CommittedBatch(2, second.batchDigest(), List.of(request(102, 1)), 1),
                new Prepare(0, 2, second.batchDigest(), 1), new Commit(0, 2, second.batchDigest(), 1));
    }

    @Test
    void aPeerThatIsMovingButFarBehindInTheSameViewGetsTheVotesWithoutTheBatches() {
        executeUpTo(8);
        deliver(3, new Status(0, true, 0, 0, 3));
        now += backup.config().statusIntervalMillis();

        Effects effects = deliver(3, new Status(0, true, 2, 0, 3)); // moving, but further behind than in flight

        assertThat(effects.messages()).extracting(Outbound::message)
                .isNotEmpty()
                .noneMatch(CommittedBatch.class::isInstance);
    }

    @Test
    void aStalledPeerInAnotherViewAlsoGetsItsWordThatTheBatchCommittedWithTheBatch() {
        executeUpTo(2);

        // The peer moved to view 1: votes of view 0 count for nothing there.
        Effects effects = deliverStalled(3, new Status(1, true, 1, 0, 3));

        PrePrepare second = prePrepare(0, 2, request(102, 1));
        assertThat(effects.messages()).extracting(Outbound::message).startsWith(
                new CommittedBatch(2, second.batchDigest(), List.of(request(102, 1)), 1));
    }

    @Test
    void aPeerThatExecutedSinceItsLastStatusGetsNoRetransmission() {
        executeUpTo(3);
        deliver(3, new Status(0, true, 0, 0, 3));
        now += backup.config().statusIntervalMillis();

        Effects effects = deliver(3, new Status(0, true, 1, 0, 3)); // behind, but moving: in flight, not lost

        assertThat(effects.messages()).isEmpty();
    }

    @Test
    void aPeerFurtherBehindThanThePipelineExplainsIsAnsweredAtOnce() {
        executeUpTo(8); // in flight: at most 2 batches, so 8 behind is lost messages, not latency

        Effects effects = deliver(3, new Status(0, true, 0, 0, 3));

        assertThat(effects.messages()).extracting(Outbound::message)
                .filteredOn(Commit.class::isInstance).hasSize(8);
    }

    @Test
    void aStatusBehindTheStableCheckpointGetsTheCheckpoint() {
        executeUpTo(4);
        deliver(2, new Checkpoint(4, STATE, 2));
        deliver(3, new Checkpoint(4, STATE, 3));

        Effects effects = deliver(3, new Status(0, true, 0, 0, 3));

        assertThat(effects.messages()).extracting(Outbound::message).first().isEqualTo(new Checkpoint(4, STATE, 1));
    }

    @Test
    void aPeerCatchingUpIsAnsweredAgainAsSoonAsItExecutedHalfOfWhatItWasSent() {
        backup = CoreFixtures.replica(ReplicaConfig.defaults(4, 1).withWindow(64, 16)); // retransmit limit 32
        executeUpTo(40);
        Effects first = deliver(3, new Status(0, true, 0, 0, 3));

        Effects consumedHalf = deliver(3, new Status(0, true, 16, 0, 3)); // no time has passed
        Effects consumedLess = deliver(3, new Status(0, true, 20, 0, 3));

        assertThat(first.messages()).extracting(Outbound::message).filteredOn(Commit.class::isInstance)
                .hasSize(32);
        assertThat(consumedHalf.messages()).extracting(Outbound::message).filteredOn(Commit.class::isInstance)
                .extracting(m -> ((Commit) m).sequence()).first().isEqualTo(17L);
        assertThat(consumedLess.messages()).as("only 4 executed since the last answer").isEmpty();
        assertThat(backup.rejections().count(Rejection.STATUS_TOO_FREQUENT)).isEqualTo(1);
    }

    @Test
    void claimingMoreThanItWasSentEarnsAPeerNoEarlyAnswer() {
        backup = CoreFixtures.replica(ReplicaConfig.defaults(4, 1).withWindow(64, 16));
        executeUpTo(40);
        deliver(3, new Status(0, true, 0, 0, 3)); // sent 1..32

        Effects effects = deliver(3, new Status(0, true, 36, 0, 3)); // it cannot have executed 33..36 from us

        assertThat(effects.messages()).isEmpty();
        assertThat(backup.rejections().count(Rejection.STATUS_TOO_FREQUENT)).isEqualTo(1);
    }

    @Test
    void anEarlyStatusShowingProgressIsCountedApartFromAFlood() {
        executeUpTo(2);
        deliver(3, new Status(0, true, 2, 0, 3)); // level with us: nothing sent

        deliver(3, new Status(0, true, 3, 0, 3)); // progress, but we sent it nothing to catch up with
        deliver(3, new Status(0, true, 3, 0, 3)); // no progress

        assertThat(backup.rejections().count(Rejection.EARLY_STATUS)).isEqualTo(1);
        assertThat(backup.rejections().count(Rejection.STATUS_TOO_FREQUENT)).isEqualTo(1);
    }

    @Test
    void aPeerGetsAtMostAWindowOfSlotsPerStatusIntervalHoweverFastItClaimsProgress() {
        backup = CoreFixtures.replica(ReplicaConfig.defaults(4, 1).withWindow(64, 16));
        executeUpTo(60);
        long resent = 0;
        long claimed = 0;
        for (int status = 0; status < 10; status++) { // all at one instant
            Effects effects = deliver(3, new Status(0, true, claimed, 0, 3));
            resent += effects.messages().stream().filter(o -> o.message() instanceof Commit).count();
            claimed += 16;
        }

        assertThat(resent).isEqualTo(64);
    }

    @Test
    void aPeerBehindTheRetainedLogGetsTheStableCheckpointAndNoSlots() {
        executeWithStableCheckpointsUpTo(12);
        assertThat(backup.lowWatermark()).isEqualTo(12); // retains (4, 12]

        Effects effects = deliver(3, new Status(0, true, 3, 0, 3)); // needs 4, which is gone

        // The proof of the stable checkpoint, 2f + 1 signed checkpoints, each as its signer sent it;
        // but not the peer's own: it has that one.
        assertThat(effects.messages()).extracting(Outbound::message).containsExactly(
                new Checkpoint(12, STATE, 1), new Checkpoint(12, STATE, 2));
    }

    @Test
    void aReplicaBehindItsPeersAsksForMoreAsSoonAsItExecutedHalfOfARetransmission() {
        backup = CoreFixtures.replica(ReplicaConfig.defaults(4, 1).withWindow(64, 16)); // retransmit limit 32
        deliver(2, new Status(0, true, 50, 0, 2));
        deliver(3, new Status(0, true, 50, 0, 3)); // f + 1 peers ahead: one of them is correct

        Effects fifteenth = executeUpTo(15);
        Effects sixteenth = executeFrom(16, 16);

        assertThat(fifteenth.messages()).extracting(Outbound::message).noneMatch(Status.class::isInstance);
        assertThat(sixteenth.messages()).filteredOn(o -> o.message() instanceof Status)
                .singleElement().satisfies(o -> {
                    assertThat(o.isBroadcast()).isTrue();
                    assertThat(o.message()).isEqualTo(new Status(0, true, 16, 0, 1));
                });
    }

    @Test
    void oneFaultyPeerClaimingToBeAheadDoesNotMakeAReplicaAskEarly() {
        backup = CoreFixtures.replica(ReplicaConfig.defaults(4, 1).withWindow(64, 16));
        deliver(3, new Status(0, true, 50, 0, 3)); // only f peers ahead

        Effects effects = executeUpTo(16);

        assertThat(effects.messages()).extracting(Outbound::message).noneMatch(Status.class::isInstance);
    }

    @Test
    void aPeerThatSendsStatusTooOftenIsAnsweredOncePerHalfInterval() {
        executeUpTo(2);

        Effects stalled = deliverStalled(3, new Status(0, true, 1, 0, 3));
        Effects flood = deliver(3, new Status(0, true, 1, 0, 3));

        assertThat(stalled.messages()).isNotEmpty();
        assertThat(flood.messages()).isEmpty();
        assertThat(backup.rejections().count(Rejection.STATUS_TOO_FREQUENT)).isEqualTo(1);
    }

    @Test
    void ticksBroadcastStatusEveryInterval() {
        long interval = backup.config().statusIntervalMillis();
        Effects first = backup.onTick(1);
        Effects due = backup.onTick(1 + interval);
        Effects notYet = backup.onTick(2 + interval);

        assertThat(first.wakeAtMillis()).isEqualTo(1 + interval);
        assertThat(due.messages()).extracting(Outbound::message).containsExactly(new Status(0, true, 0, 0, 1));
        assertThat(notYet.messages()).isEmpty();
    }
}
