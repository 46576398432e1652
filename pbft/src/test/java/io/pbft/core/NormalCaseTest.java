package io.pbft.core;

import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.config;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three phases seen from backup 1 of a four-replica cluster. */
class NormalCaseTest {

    private final Replica backup = CoreFixtures.replica(config(1));
    private long now = 1;

    private Effects deliver(int from, ReplicaMessage message) {
        return CoreFixtures.deliver(backup, from, message, now++);
    }

    private static List<ReplicaMessage> sent(Effects effects) {
        return CoreFixtures.sent(effects);
    }

    /** A pre-prepare whose requests the driver could not authenticate for this replica. */
    private Effects unverified(int from, PrePrepare prePrepare) {
        return backup.onPrePrepare(from, CoreFixtures.signed(prePrepare), CoreFixtures.batchOf(prePrepare), false,
                now++);
    }

    @Test
    void backupPreparesAnAcceptedPrePrepare() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));

        Effects effects = deliver(0, pp);

        assertThat(sent(effects)).containsExactly(prepare(pp, 1));
        assertThat(effects.messages().get(0).isBroadcast()).isTrue();
    }

    @Test
    void preparedNeedsTwoFMatchingPreparesFromDistinctBackups() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        Effects ownPrepareOnly = deliver(0, pp);
        assertThat(sent(ownPrepareOnly)).doesNotContain(commit(pp, 1));

        Effects second = deliver(2, prepare(pp, 2));

        assertThat(sent(second)).containsExactly(commit(pp, 1)); // own prepare + replica 2 = 2f
        assertThat(backup.rejections().total()).isZero();
    }

    @Test
    void duplicatePreparesFromOneSenderCountOnce() {
        Replica backup3 = CoreFixtures.replica(config(3));
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        CoreFixtures.deliver(backup3, 0, pp, 1);

        CoreFixtures.deliver(backup3, 2, prepare(pp, 2), 2);
        Effects repeated = CoreFixtures.deliver(backup3, 2, prepare(pp, 2), 3);

        // Own prepare plus replica 2 make 2f: the commit went out on the first, not again on the repeat.
        assertThat(sent(repeated)).isEmpty();
        assertThat(backup3.rejections().count(Rejection.DUPLICATE_MESSAGE)).isEqualTo(1);
    }

    @Test
    void commitNeedsTwoFPlusOneMatchingCommits() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        deliver(0, pp);
        deliver(2, prepare(pp, 2)); // prepared: own commit sent

        Effects one = deliver(0, commit(pp, 0)); // 2 commits: not yet
        assertThat(one.executions()).isEmpty();

        Effects two = deliver(2, commit(pp, 2)); // 3 = 2f + 1 commits
        assertThat(two.executions()).singleElement().satisfies(e -> {
            assertThat(e.sequence()).isEqualTo(1);
            assertThat(e.requests()).containsExactly(request(7, 1));
        });
    }

    @Test
    void duplicateCommitsFromOneSenderDoNotMakeAQuorum() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        deliver(0, pp);
        deliver(2, prepare(pp, 2));

        deliver(0, commit(pp, 0));
        Effects again = deliver(0, commit(pp, 0));

        assertThat(again.executions()).isEmpty();
        assertThat(backup.rejections().count(Rejection.DUPLICATE_MESSAGE)).isEqualTo(1);
    }

    @Test
    void unknownSendersAndForgedSenderFieldsDoNotCount() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        deliver(0, pp);

        Effects unknown = deliver(9, prepare(pp, 9));
        Effects forged = deliver(3, prepare(pp, 2)); // signed by 3, claims to be from 2
        Effects negative = deliver(-1, prepare(pp, -1));

        assertThat(sent(unknown)).isEmpty();
        assertThat(sent(forged)).isEmpty();
        assertThat(sent(negative)).isEmpty();
        assertThat(backup.rejections().count(Rejection.UNKNOWN_SENDER)).isEqualTo(2);
        assertThat(backup.rejections().count(Rejection.SENDER_MISMATCH)).isEqualTo(1);
    }

    @Test
    void preparesWithAnotherDigestDoNotCount() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        deliver(0, pp);

        Effects effects = deliver(2, new Prepare(0, 1, ByteString.copyFromUtf8("another batch"), 2));

        assertThat(sent(effects)).isEmpty(); // not prepared: the vote is for a different batch
    }

    @Test
    void prePrepareWhoseBatchDoesNotMatchItsDigestIsRejected() {
        PrePrepare honest = prePrepare(0, 1, request(7, 1));
        Effects effects = backup.onPrePrepare(0, CoreFixtures.signed(honest), List.of(request(8, 1)), true, now++);

        assertThat(sent(effects)).isEmpty();
        assertThat(backup.rejections().count(Rejection.DIGEST_MISMATCH)).isEqualTo(1);
    }

    @Test
    void prePrepareOverTheBatchByteLimitIsRejected() {
        Replica strict = CoreFixtures.replica(config(1).withMaxBatchBytes(ReplicaConfig.MIN_BATCH_BYTES));
        Request big = Request.of(7, 1, ByteString.copyFrom(new byte[ReplicaConfig.MIN_BATCH_BYTES / 2]));
        Request other = Request.of(8, 1, ByteString.copyFrom(new byte[ReplicaConfig.MIN_BATCH_BYTES / 2]));

        Effects effects = CoreFixtures.deliver(strict, 0, prePrepare(0, 1, big, other), 1);

        assertThat(sent(effects)).isEmpty();
        assertThat(strict.rejections().count(Rejection.OVERSIZED_BATCH)).isEqualTo(1);
    }

    @Test
    void anUnverifiedPrePrepareIsPreparedOnlyOnceTwoFOtherBackupsVouchForIt() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));

        Effects held = unverified(0, pp);
        Effects oneVoucher = deliver(2, prepare(pp, 2));
        Effects twoVouchers = deliver(3, prepare(pp, 3));

        assertThat(sent(held)).isEmpty();
        assertThat(sent(oneVoucher)).isEmpty();
        // 2f = 2 other backups prepared this digest: at least one correct replica checked the MACs
        assertThat(sent(twoVouchers)).containsExactly(prepare(pp, 1), commit(pp, 1));
    }

    @Test
    void vouchersForAnotherDigestDoNotReleaseAnUnverifiedPrePrepare() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        unverified(0, pp);

        deliver(2, new Prepare(0, 1, ByteString.copyFromUtf8("another batch"), 2));
        Effects effects = deliver(3, new Prepare(0, 1, ByteString.copyFromUtf8("another batch"), 3));

        assertThat(sent(effects)).isEmpty();
    }

    @Test
    void anUnverifiedPrePrepareStillPassesEveryOtherCheck() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        PrePrepare fromTwo = new PrePrepare(pp.view(), pp.sequence(), pp.batchDigest(), 2);

        unverified(2, fromTwo);
        unverified(0, prePrepare(0, 9, request(7, 1)));

        assertThat(backup.rejections().count(Rejection.NOT_FROM_PRIMARY)).isEqualTo(1);
        assertThat(backup.rejections().count(Rejection.OUTSIDE_WINDOW)).isEqualTo(1);
    }

    @Test
    void prePrepareFromABackupIsRejected() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        PrePrepare fromTwo = new PrePrepare(pp.view(), pp.sequence(), pp.batchDigest(), 2);

        Effects effects = deliver(2, fromTwo);

        assertThat(sent(effects)).isEmpty();
        assertThat(backup.rejections().count(Rejection.NOT_FROM_PRIMARY)).isEqualTo(1);
    }

    @Test
    void conflictingPrePrepareForTheSameSequenceIsRejected() {
        deliver(0, prePrepare(0, 1, request(7, 1)));

        Effects second = deliver(0, prePrepare(0, 1, request(8, 1)));

        assertThat(sent(second)).isEmpty();
        assertThat(backup.rejections().count(Rejection.CONFLICTING_MESSAGE)).isEqualTo(1);
    }

    @Test
    void conflictingSignedMessagesAreReportedWithBothAsProof() {
        PrePrepare first = prePrepare(0, 1, request(7, 1));
        PrePrepare second = prePrepare(0, 1, request(8, 1));
        deliver(0, first);

        Effects conflict = deliver(0, second);
        Effects duplicate = deliver(0, first); // the same message again proves nothing

        assertThat(conflict.events()).singleElement().isInstanceOfSatisfying(ProtocolEvent.Equivocation.class, e -> {
            assertThat(e.sender()).isZero();
            assertThat(e.first().message()).isEqualTo(first);
            assertThat(e.second().message()).isEqualTo(second);
        });
        assertThat(duplicate.events()).isEmpty();

        Prepare vote = prepare(first, 2);
        deliver(2, vote);
        Effects conflictingVote = deliver(2, prepare(second, 2));
        assertThat(conflictingVote.events()).singleElement().isInstanceOfSatisfying(ProtocolEvent.Equivocation.class,
                e -> assertThat(e.sender()).isEqualTo(2));
    }

    @Test
    void messagesFromAnotherViewDoNotCount() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        deliver(0, pp);

        deliver(2, prePrepare(2, 2, request(8, 1))); // from the primary of view 2, which we are not in
        Effects effects = deliver(2, new Prepare(1, 1, pp.batchDigest(), 2));

        assertThat(sent(effects)).isEmpty();
        assertThat(backup.rejections().count(Rejection.WRONG_VIEW)).isEqualTo(2);
    }

    @Test
    void messagesOutsideTheWatermarkWindowDoNotCount() {
        // window is 8: sequence numbers 1..8 are accepted while the low watermark is 0
        Effects beyond = deliver(0, prePrepare(0, 9, request(7, 1)));
        Effects zero = deliver(2, new Commit(0, 0, CoreFixtures.DIGEST_OF_NOTHING, 2));

        assertThat(sent(beyond)).isEmpty();
        assertThat(sent(zero)).isEmpty();
        assertThat(backup.rejections().count(Rejection.OUTSIDE_WINDOW)).isEqualTo(1);
        // Sequence number 0 is the initial state: executed before anything was ordered.
        assertThat(backup.rejections().count(Rejection.ALREADY_EXECUTED)).isEqualTo(1);
    }

    @Test
    void votesThatArriveBeforeThePrePrepareCountOnceItArrives() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        deliver(2, prepare(pp, 2));
        deliver(0, commit(pp, 0));
        deliver(2, commit(pp, 2));

        Effects effects = deliver(0, pp);

        assertThat(sent(effects)).containsExactly(prepare(pp, 1), commit(pp, 1));
        assertThat(effects.executions()).hasSize(1);
    }

    @Test
    void batchesExecuteOnlyInSequenceOrder() {
        PrePrepare first = prePrepare(0, 1, request(7, 1));
        PrePrepare second = prePrepare(0, 2, request(8, 1));
        commitAtBackup(second);
        assertThat(backup.lastExecuted()).isZero();

        Effects effects = commitAtBackup(first);

        assertThat(effects.executions()).extracting(Execution::sequence).containsExactly(1L, 2L);
    }

    @Test
    void aRequestOrderedTwiceExecutesOnce() {
        PrePrepare first = prePrepare(0, 1, request(7, 1));
        PrePrepare again = prePrepare(0, 2, request(7, 1), request(8, 1));

        Effects one = commitAtBackup(first);
        Effects two = commitAtBackup(again);

        assertThat(one.executions()).singleElement().extracting(Execution::requests).asList().hasSize(1);
        assertThat(two.executions()).singleElement()
                .satisfies(e -> assertThat(e.requests()).containsExactly(request(8, 1)));
    }

    @Test
    void aClientsRequestsRunInTheOrderTheyAreOrderedAndEachOnce() {
        Effects one = commitAtBackup(prePrepare(0, 1, request(7, 5), request(7, 3)));
        backup.onExecuted(1, CoreFixtures.echo(one.executions().get(0)), ByteString.EMPTY, now++);
        Effects two = commitAtBackup(prePrepare(0, 2, request(7, 4), request(7, 3), request(7, 5)));
        Effects executedTwo = backup.onExecuted(2, CoreFixtures.echo(two.executions().get(0)), ByteString.EMPTY, now++);
        Effects retransmitted = backup.onRequest(request(7, 3), now++);

        assertThat(one.executions()).singleElement()
                .satisfies(e -> assertThat(e.requests()).containsExactly(request(7, 5), request(7, 3)));
        assertThat(two.executions()).singleElement()
                .satisfies(e -> assertThat(e.requests()).containsExactly(request(7, 4)));
        assertThat(executedTwo.replies()).extracting(Reply::timestamp).containsExactly(4L);
        assertThat(retransmitted.replies()).extracting(Reply::timestamp).containsExactly(3L);
    }

    @Test
    void executedRequestsAreAnsweredAndRetransmissionsGetTheCachedReply() {
        PrePrepare pp = prePrepare(0, 1, request(7, 1));
        Execution execution = commitAtBackup(pp).executions().get(0);

        Effects executed = backup.onExecuted(1, CoreFixtures.echo(execution), ByteString.EMPTY, now++);
        Effects retransmitted = backup.onRequest(request(7, 1), now++);

        assertThat(executed.replies()).singleElement().satisfies(r -> {
            assertThat(r.clientId()).isEqualTo(7);
            assertThat(r.timestamp()).isEqualTo(1);
            assertThat(r.replica()).isEqualTo(1);
            assertThat(r.result()).isEqualTo(request(7, 1).operation());
        });
        assertThat(retransmitted.replies()).isEqualTo(executed.replies());
    }

    @Test
    void aRequestBelowItsClientsWindowIsStaleAndOneInsideItIsNot() {
        commitAtBackup(prePrepare(0, 1, request(7, 1_000)));

        backup.onRequest(request(7, 1_000 - ReplicaConfig.CLIENT_WINDOW), now++);
        backup.onRequest(request(7, 1_000 - ReplicaConfig.CLIENT_WINDOW + 1), now++);

        assertThat(backup.rejections().count(Rejection.STALE_REQUEST)).isEqualTo(1);
    }

    private Effects commitAtBackup(PrePrepare pp) {
        deliver(0, pp);
        deliver(2, prepare(pp, 2));
        deliver(0, commit(pp, 0));
        return deliver(2, commit(pp, 2));
    }
}
