package io.pbft.core;

import static io.pbft.core.CoreFixtures.certificate;
import static io.pbft.core.CoreFixtures.commit;
import static io.pbft.core.CoreFixtures.config;
import static io.pbft.core.CoreFixtures.echo;
import static io.pbft.core.CoreFixtures.prePrepare;
import static io.pbft.core.CoreFixtures.prepare;
import static io.pbft.core.CoreFixtures.request;
import static io.pbft.core.CoreFixtures.sent;
import static io.pbft.core.CoreFixtures.signed;
import static io.pbft.core.CoreFixtures.stableCheckpoint;
import static io.pbft.core.CoreFixtures.viewChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.pbft.core.ProtocolEvent.NewViewEntered;
import io.pbft.core.ProtocolEvent.ViewChangeCause;
import io.pbft.core.ProtocolEvent.ViewChangeStarted;
import io.pbft.core.message.BatchContent;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.FetchBatch;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;
import io.pbft.core.message.SlowPrimaryComplaint;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The view change seen from one replica at a time in a four-replica cluster (f = 1, window 8,
 * checkpoint every 4): replica 0 is the primary of view 0, replica 1 of view 1, and replica 3 is
 * the backup most tests watch. Peers' messages are built by hand and signed by the fixture signer.
 * A signed message one replica relays for another reaches the core as from its signer, as the
 * driver delivers it. The view change timeout is short and the status interval long, so that each
 * wake-up measured here is the view change's own; time is passed in, never read.
 */
class ViewChangeTest {

    private static final long TIMEOUT_MILLIS = 100;
    private static final long STATUS_INTERVAL_MILLIS = 1_000_000;
    private static final ByteString STATE = ByteString.copyFromUtf8("state after 4");

    /** Batches that prepared in view 0, at sequence numbers 1 and 3. */
    private static final PrePrepare FIRST = prePrepare(0, 1, request(7, 1));
    private static final PrePrepare THIRD = prePrepare(0, 3, request(8, 1));

    /** Valid view changes for view 1 from replicas 0, 1 and 2; between them they carry FIRST and THIRD. */
    private static final List<ViewChange> QUORUM = List.of(
            viewChange(1, 0, certificate(FIRST, 1, 2)),
            viewChange(1, 1, certificate(FIRST, 1, 2), certificate(THIRD, 1, 2)),
            viewChange(1, 2));

    /** What the primary of view 1 must re-issue for QUORUM: FIRST, the null batch in the gap, THIRD. */
    private static final List<PrePrepare> REISSUED = List.of(
            new PrePrepare(1, 1, FIRST.batchDigest(), 1),
            new PrePrepare(1, 2, PrePrepare.NULL_BATCH_DIGEST, 1),
            new PrePrepare(1, 3, THIRD.batchDigest(), 1));

    private static final NewView NEW_VIEW = newView(1, QUORUM, REISSUED, 1);

    private long now = 1;

    private static Replica replica(int id) {
        return CoreFixtures.replica(config(id).withViewChangeTimeout(TIMEOUT_MILLIS)
                .withStatusInterval(STATUS_INTERVAL_MILLIS));
    }

    private static NewView newView(long view, List<ViewChange> viewChanges, List<PrePrepare> prePrepares,
            int primary) {
        List<Signed<ViewChange>> votes = viewChanges.stream().map(CoreFixtures::signed).toList();
        List<Signed<PrePrepare>> reissued = prePrepares.stream().map(CoreFixtures::signed).toList();
        return new NewView(view, votes, reissued, primary);
    }

    /** NEW_VIEW with replica 0's view change replaced by {@code fromZero}, the re-issued set unchanged. */
    private static NewView newViewWith(ViewChange fromZero) {
        return newView(1, List.of(fromZero, QUORUM.get(1), QUORUM.get(2)), REISSUED, 1);
    }

    private Effects deliver(Replica to, int from, ReplicaMessage message) {
        return CoreFixtures.deliver(to, from, message, now++);
    }

    /** How long after the input just delivered the replica asks to be woken. */
    private long waitAfter(Effects effects) {
        return effects.wakeAtMillis() - (now - 1);
    }

    /** A backup learns of a client request that then does not execute: at the deadline it votes for the next view. */
    private Effects timeOut(Replica backup) {
        Effects awaiting = backup.onRequest(request(99, 1), now);
        now = awaiting.wakeAtMillis();
        CoreFixtures.hearFromPeers(backup, now);
        return backup.onTick(now++);
    }

    /** Replicas 0 and 1 vote for {@code view}: with the watched replica's own vote, 2f + 1. */
    private Effects othersVoteFor(Replica replica, long view) {
        deliver(replica, 0, viewChange(view, 0));
        return deliver(replica, 1, viewChange(view, 1));
    }

    /** Replica 1, the primary of view 1: it prepared FIRST in view 0, then voted when a request timed out. */
    private Replica newPrimaryThatVoted() {
        Replica next = replica(1);
        deliver(next, 0, FIRST);
        deliver(next, 2, prepare(FIRST, 2));
        timeOut(next);
        return next;
    }

    /** The votes of replicas 2 and 3 that complete the new primary's quorum; the effects of the last. */
    private Effects othersVoteForView1(Replica next) {
        deliver(next, 2, viewChange(1, 2, certificate(FIRST, 1, 2)));
        return deliver(next, 3, viewChange(1, 3));
    }

    /** In the input that gave {@code effects}, the replica left its view for {@code view}, for {@code cause}. */
    private static void assertLeftFor(long view, ViewChangeCause cause, Replica replica, Effects effects) {
        assertThat(effects.events()).containsExactly(new ViewChangeStarted(view, cause));
        assertThat(replica.view()).isEqualTo(view);
        assertThat(replica.isActive()).isFalse();
    }

    private void assertViewChangeRejected(ViewChange invalid) {
        Replica replica = replica(3);
        deliver(replica, invalid.replica(), invalid);
        Effects valid = deliver(replica, 2, viewChange(1, 2)); // f + 1 votes, had the invalid one counted

        assertThat(sent(valid)).isEmpty();
        assertThat(replica.view()).isZero();
        assertThat(replica.rejections().snapshot()).containsExactly(entry(Rejection.INVALID_VIEW_CHANGE, 1L));
    }

    private void assertNewViewRejected(NewView newView, Rejection reason) {
        Replica backup = replica(3);

        Effects effects = deliver(backup, newView.replica(), newView);

        assertThat(sent(effects)).isEmpty();
        assertThat(backup.view()).isZero();
        assertThat(backup.isActive()).isTrue();
        assertThat(backup.rejections().snapshot()).containsExactly(entry(reason, 1L));
    }

    // ------------------------------------------------------------------ the request timer

    /**
     * A backup whose process stopped (a long garbage collection) while it awaited a request finds its
     * deadline long past when it runs again. The time it did not run does not count against the
     * primary: it votes only once the request has not executed over a whole timeout of its running,
     * not at once and alone, before its peers' reports tell it what happened meanwhile.
     */
    @Test
    void timeABackupDidNotRunDoesNotCountAgainstItsPrimary() {
        Replica backup = CoreFixtures.replica(3);
        long timeout = backup.config().viewChangeTimeoutMillis();
        backup.onRequest(request(99, 1), 1);

        List<ProtocolEvent> beforePause = CoreFixtures.runUntil(backup, 1, timeout / 2);
        long resumedAt = 10 * timeout;
        List<ProtocolEvent> resumed = CoreFixtures.runUntil(backup, resumedAt, resumedAt + timeout / 2);
        List<ProtocolEvent> runningAgain = CoreFixtures.runUntil(backup, resumedAt + timeout / 2,
                resumedAt + 2 * timeout);

        assertThat(beforePause).isEmpty();
        assertThat(resumed).isEmpty();
        assertThat(runningAgain).containsExactly(new ViewChangeStarted(1, ViewChangeCause.REQUEST_TIMEOUT));
    }

    /**
     * A peer voted alone (the others saw execute what it timed out): once this replica has had
     * nothing to wait for over a whole timeout, it joins the vote, so that the lone voter does not
     * sit out every view to come.
     */
    @Test
    void aReplicaIdleForATimeoutJoinsAPeerThatVotedAlone() {
        Replica replica = replica(3);
        deliver(replica, 1, viewChange(1, 1));

        Effects justBefore = replica.onTick(TIMEOUT_MILLIS - 1);
        Effects idleForATimeout = replica.onTick(TIMEOUT_MILLIS);

        assertThat(justBefore.events()).isEmpty();
        assertThat(idleForATimeout.events()).containsExactly(new ViewChangeStarted(1, ViewChangeCause.JOINED_WHILE_IDLE));
        assertThat(sent(idleForATimeout, ViewChange.class)).singleElement()
                .satisfies(vote -> assertThat(vote.newView()).isEqualTo(1));
    }

    /** Under load a lone vote is left alone, as in PBFT: the replica joins only once executions stop for a timeout. */
    @Test
    void aReplicaThatSeesBatchesExecuteDoesNotJoinAPeerThatVotedAlone() {
        Replica replica = replica(3);
        deliver(replica, 1, viewChange(1, 1));
        List<ProtocolEvent> whileExecuting = new ArrayList<>();
        for (long sequence = 1; sequence <= 8; sequence++) {
            now = sequence * TIMEOUT_MILLIS / 2;
            executeInView0(replica, sequence);
            whileExecuting.addAll(replica.onTick(now).events());
        }
        long lastExecutedAt = now - 1;

        Effects justBefore = replica.onTick(lastExecutedAt + TIMEOUT_MILLIS - 1);
        Effects idleForATimeout = replica.onTick(lastExecutedAt + TIMEOUT_MILLIS);

        assertThat(whileExecuting).isEmpty();
        assertThat(justBefore.events()).isEmpty();
        assertThat(idleForATimeout.events()).containsExactly(new ViewChangeStarted(1, ViewChangeCause.JOINED_WHILE_IDLE));
    }

    /**
     * A pipelining client has several requests outstanding; a primary that orders its newer one and
     * ignores the older is voted out as surely as one that ignores the client altogether.
     */
    @Test
    void aBackupAwaitsEveryRequestOfAPipeliningClientNotOnlyItsNewest() {
        Replica backup = replica(3);
        backup.onRequest(request(7, 1), now++);
        backup.onRequest(request(7, 2), now++);
        PrePrepare newerOnly = prePrepare(0, 1, request(7, 2));
        deliver(backup, 0, newerOnly);
        deliver(backup, 1, prepare(newerOnly, 1));
        deliver(backup, 0, commit(newerOnly, 0));
        Execution execution = deliver(backup, 1, commit(newerOnly, 1)).executions().get(0);
        long executedAt = now++;
        backup.onExecuted(1, echo(execution), ByteString.EMPTY, executedAt);

        CoreFixtures.hearFromPeers(backup, executedAt + TIMEOUT_MILLIS - 1);
        Effects justBefore = backup.onTick(executedAt + TIMEOUT_MILLIS - 1);
        Effects atDeadline = backup.onTick(executedAt + TIMEOUT_MILLIS);

        assertThat(justBefore.events()).isEmpty();
        assertThat(atDeadline.events()).containsExactly(new ViewChangeStarted(1, ViewChangeCause.REQUEST_TIMEOUT));
    }

    @Test
    void aBackupVotesForTheNextViewWhenARequestItKnowsOfDoesNotExecuteInTime() {
        Replica backup = replica(3);
        for (long sequence = 1; sequence <= 4; sequence++) {
            executeInView0(backup, sequence);
        }
        deliver(backup, 0, new Checkpoint(4, STATE, 0));
        deliver(backup, 1, new Checkpoint(4, STATE, 1)); // with its own: stable at 4
        long requestedAt = now;
        backup.onRequest(request(99, 1), requestedAt); // before the batches below: its timer runs out first
        PrePrepare fifth = prePrepare(0, 5, request(20, 1));
        deliver(backup, 0, fifth);
        deliver(backup, 2, prepare(fifth, 2)); // prepared
        deliver(backup, 0, prePrepare(0, 6, request(21, 1))); // pre-prepared only

        Effects justBefore = backup.onTick(requestedAt + TIMEOUT_MILLIS - 1);
        Effects atDeadline = backup.onTick(requestedAt + TIMEOUT_MILLIS);

        ViewChange expected = viewChange(1, stableCheckpoint(4, STATE, 0, 1, 3), 3, certificate(fifth, 2, 3));
        assertThat(justBefore.isEmpty()).isTrue();
        assertThat(atDeadline.messages()).singleElement().satisfies(vote -> {
            assertThat(vote.isBroadcast()).isTrue();
            assertThat(vote.message()).isEqualTo(expected);
            assertThat(vote.envelope()).isEqualTo(signed(expected).envelope());
        });
        assertLeftFor(1, ViewChangeCause.REQUEST_TIMEOUT, backup, atDeadline);
    }

    @Test
    void aReplicaThatExecutedACarriedOverBatchCommitsToItAtOnceInTheNewView() {
        Replica executed = replica(3);
        PrePrepare first = FIRST;
        deliver(executed, 0, first);
        deliver(executed, 1, prepare(first, 1));
        deliver(executed, 0, commit(first, 0));
        Execution execution = deliver(executed, 1, commit(first, 1)).executions().get(0);
        executed.onExecuted(1, echo(execution), ByteString.EMPTY, now++);

        Effects entered = deliver(executed, 1, NEW_VIEW);

        // Its sequence number is decided: the others may need this commit to reach 2f + 1 in view 1.
        assertThat(sent(entered)).contains(new Prepare(1, 1, first.batchDigest(), 3),
                new Commit(1, 1, first.batchDigest(), 3));
    }

    /** Backup {@code replica} receives the primary's batch at {@code sequence}, votes of 0..2, and executes it. */
    private void executeInView0(Replica replica, long sequence) {
        PrePrepare prePrepare = prePrepare(0, sequence, request(40 + sequence, 1));
        deliver(replica, 0, prePrepare);
        deliver(replica, 1, prepare(prePrepare, 1));
        deliver(replica, 0, commit(prePrepare, 0));
        Execution execution = deliver(replica, 1, commit(prePrepare, 1)).executions().get(0);
        replica.onExecuted(sequence, echo(execution), execution.checkpoint() ? STATE : ByteString.EMPTY, now++);
    }

    @Test
    void aReplicaThatNeedsItsPeersStateDoesNotVoteItsPrimaryOut() {
        Replica behind = replica(3);
        for (int peer = 0; peer < 3; peer++) {
            deliver(behind, peer, new Checkpoint(4, STATE, peer)); // stable at 4, though not executed here
        }
        long requestedAt = now;
        behind.onRequest(request(99, 1), requestedAt);

        Effects atDeadline = behind.onTick(requestedAt + 10 * TIMEOUT_MILLIS);

        // What it waits for is its own lag: voting alone would only take it out of the view.
        assertThat(behind.needsState()).isTrue();
        assertThat(atDeadline.events()).isEmpty();
        assertThat(behind.isActive()).isTrue();
        // and it looks again a timeout later, not at once: a wake-up in the past would spin its driver
        assertThat(atDeadline.wakeAtMillis()).isGreaterThan(requestedAt + 10 * TIMEOUT_MILLIS);
    }

    @Test
    void aRequestThatExecutesInTimeStopsTheTimer() {
        Replica backup = replica(3);
        long requestedAt = now;
        backup.onRequest(request(7, 1), now++);
        deliver(backup, 0, FIRST);
        deliver(backup, 2, prepare(FIRST, 2));
        deliver(backup, 0, commit(FIRST, 0));
        Execution execution = deliver(backup, 2, commit(FIRST, 2)).executions().get(0);
        backup.onExecuted(1, CoreFixtures.echo(execution), ByteString.EMPTY, now++);

        Effects atDeadline = backup.onTick(requestedAt + TIMEOUT_MILLIS);
        Effects muchLater = backup.onTick(requestedAt + 50 * TIMEOUT_MILLIS);

        assertThat(sent(atDeadline, ViewChange.class)).isEmpty();
        assertThat(sent(muchLater, ViewChange.class)).isEmpty();
        assertThat(backup.view()).isZero();
        assertThat(backup.isActive()).isTrue();
    }

    @Test
    void aReplicaCutOffFromItsPeersDoesNotVoteUntilItHearsFromThemAgain() {
        Replica backup = replica(3);
        Effects awaiting = backup.onRequest(request(99, 1), now);
        long deadline = awaiting.wakeAtMillis();
        CoreFixtures.deliver(backup, 1, new Status(0, true, 0, 0, 1), deadline - 1); // one peer heard: not enough

        Effects cutOff = backup.onTick(deadline);
        assertThat(cutOff.events()).isEmpty();
        assertThat(backup.isActive()).isTrue();

        CoreFixtures.hearFromPeers(backup, deadline + 1);
        Effects reconnected = backup.onTick(deadline + 1 + backup.config().viewChangeTimeoutMillis());
        assertThat(reconnected.events()).containsExactly(new ViewChangeStarted(1, ViewChangeCause.REQUEST_TIMEOUT));
    }

    @Test
    void oneComplaintOfASlowPrimaryIsNoVoteButFPlusOneAre() {
        Replica backup = replica(3);

        Effects one = deliver(backup, 1, new SlowPrimaryComplaint(0, 1));
        assertThat(one.events()).isEmpty();
        assertThat(backup.isActive()).isTrue();

        Effects two = deliver(backup, 2, new SlowPrimaryComplaint(0, 2));
        assertLeftFor(1, ViewChangeCause.SLOW_PRIMARY, backup, two);
    }

    @Test
    void complaintsOfAnEarlierViewCountForNothing() {
        Replica backup = replica(3);
        deliver(backup, 1, NEW_VIEW);

        deliver(backup, 0, new SlowPrimaryComplaint(0, 0));
        deliver(backup, 2, new SlowPrimaryComplaint(0, 2));

        assertThat(backup.isActive()).isTrue();
        assertThat(backup.rejections().count(Rejection.WRONG_VIEW)).isEqualTo(2);
    }

    @Test
    void aReplicaThatVotedSendsNoPrepareOrCommitForTheOldView() {
        Replica backup = replica(3);
        deliver(backup, 0, FIRST); // its prepare went out before the vote
        timeOut(backup);

        List<Effects> afterVote = List.of(
                deliver(backup, 2, prepare(FIRST, 2)), // would have prepared it
                deliver(backup, 0, commit(FIRST, 0)),
                deliver(backup, 2, commit(FIRST, 2)),
                deliver(backup, 0, prePrepare(0, 2, request(8, 1))));

        assertThat(afterVote).allSatisfy(effects -> {
            assertThat(sent(effects)).isEmpty();
            assertThat(effects.executions()).isEmpty();
        });
        assertThat(backup.rejections().count(Rejection.WRONG_VIEW)).isEqualTo(4);
    }

    @Test
    void aReplicaChangingViewNeitherProposesNorForwardsRequests() {
        Replica oldPrimary = replica(0);
        deliver(oldPrimary, 2, viewChange(1, 2));
        deliver(oldPrimary, 3, viewChange(1, 3)); // f + 1 others: it joins them
        assertThat(oldPrimary.isActive()).isFalse();

        Effects effects = oldPrimary.onRequest(request(5, 1), now++);

        assertThat(effects.messages()).isEmpty();
    }

    // ------------------------------------------------------------------ the new view

    @Test
    void theNewPrimaryAnnouncesTheNewViewOnceTwoFPlusOneViewChangesIncludeItsOwn() {
        Replica next = newPrimaryThatVoted();

        Effects twoVotes = deliver(next, 2, viewChange(1, 2, certificate(FIRST, 1, 2)));
        Effects threeVotes = deliver(next, 3, viewChange(1, 3));

        NewView expected = newView(1,
                List.of(viewChange(1, 1, certificate(FIRST, 1, 2)), viewChange(1, 2, certificate(FIRST, 1, 2)),
                        viewChange(1, 3)),
                List.of(new PrePrepare(1, 1, FIRST.batchDigest(), 1)), 1);
        assertThat(sent(twoVotes)).isEmpty();
        // Then it proposes the request it had awaited as a backup (see aNewPrimaryOrdersTheRequests...).
        assertThat(threeVotes.messages()).first().satisfies(announced -> {
            assertThat(announced.isBroadcast()).isTrue();
            assertThat(announced.message()).isEqualTo(expected);
            assertThat(announced.envelope()).isEqualTo(signed(expected).envelope());
        });
        assertThat(threeVotes.events()).containsExactly(new NewViewEntered(1, 1, 1));
        assertThat(next.view()).isEqualTo(1);
        assertThat(next.isActive()).isTrue();
        assertThat(next.isPrimary()).isTrue();
    }

    @Test
    void aBackupAcceptsTheNewViewThePrimaryMadeAsItWasSent() {
        Replica next = newPrimaryThatVoted();
        Outbound announced = othersVoteForView1(next).messages().get(0);
        Replica backup = replica(3);

        Effects entered = backup.onSigned(1, new Signed<>((NewView) announced.message(), announced.envelope()), now++);

        assertThat(entered.events()).containsExactly(new NewViewEntered(1, 1, 1));
        assertThat(sent(entered, Prepare.class)).containsExactly(new Prepare(1, 1, FIRST.batchDigest(), 3));
    }

    @Test
    void aBackupEntersTheNewViewAndPreparesEveryReissuedPrePrepareInOrder() {
        Replica backup = replica(3);

        Effects entered = deliver(backup, 1, NEW_VIEW);

        assertThat(backup.view()).isEqualTo(1);
        assertThat(backup.isActive()).isTrue();
        assertThat(backup.primary()).isEqualTo(1);
        assertThat(sent(entered, Prepare.class)).containsExactly(
                prepare(REISSUED.get(0), 3), prepare(REISSUED.get(1), 3), prepare(REISSUED.get(2), 3));
        assertThat(entered.events()).containsExactly(new NewViewEntered(1, 1, 3));
    }

    @Test
    void aBatchPreparedInView0IsCarriedIntoView1WithItsDigestAndExecutesThere() {
        Replica backup = replica(3);
        deliver(backup, 0, FIRST); // it has the batch from view 0
        PrePrepare carried = REISSUED.get(0);

        Effects entered = deliver(backup, 1, NEW_VIEW);
        deliver(backup, 2, prepare(carried, 2));
        deliver(backup, 1, commit(carried, 1));
        Effects committed = deliver(backup, 2, commit(carried, 2));

        assertThat(carried.batchDigest()).isEqualTo(FIRST.batchDigest());
        assertThat(sent(entered, Prepare.class)).first().isEqualTo(new Prepare(1, 1, FIRST.batchDigest(), 3));
        assertThat(committed.executions()).containsExactly(
                new Execution(1, FIRST.batchDigest(), List.of(request(7, 1)), false));
    }

    // ------------------------------------------------------------------ new views a backup rejects

    @Test
    void aNewViewWithAReissuedDigestReplacedIsRejected() {
        List<PrePrepare> tampered = new ArrayList<>(REISSUED);
        tampered.set(0, new PrePrepare(1, 1, THIRD.batchDigest(), 1));

        assertNewViewRejected(newView(1, QUORUM, tampered, 1), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aNewViewThatDropsAReissuedPrePrepareIsRejected() {
        List<PrePrepare> tampered = new ArrayList<>(REISSUED);
        tampered.remove(1); // the null batch in the gap

        assertNewViewRejected(newView(1, QUORUM, tampered, 1), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aNewViewThatAddsAPrePrepareIsRejected() {
        List<PrePrepare> tampered = new ArrayList<>(REISSUED);
        tampered.add(new PrePrepare(1, 4, PrePrepare.digestOf(List.of(request(9, 1))), 1));

        assertNewViewRejected(newView(1, QUORUM, tampered, 1), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aNewViewWithFewerThanTwoFPlusOneViewChangesIsRejected() {
        assertNewViewRejected(newView(1, QUORUM.subList(0, 2), REISSUED, 1), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aNewViewWithTwoViewChangesFromOneReplicaIsRejected() {
        List<ViewChange> twiceFromOne = List.of(QUORUM.get(0), QUORUM.get(1), viewChange(1, 1));

        assertNewViewRejected(newView(1, twiceFromOne, REISSUED, 1), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aNewViewWithAViewChangeForAnotherViewIsRejected() {
        assertNewViewRejected(newViewWith(viewChange(2, 0, certificate(FIRST, 1, 2))), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aNewViewNotFromThePrimaryOfItsViewIsRejected() {
        assertNewViewRejected(newView(1, QUORUM, REISSUED, 2), Rejection.NOT_FROM_PRIMARY);
        assertNewViewRejected(newView(2, QUORUM, REISSUED, 1), Rejection.NOT_FROM_PRIMARY);
    }

    // ------------------------------------------------------------------ certificates that prove nothing

    @Test
    void aCertificateWithFewerThanTwoFPreparesInvalidatesItsViewChangeAndANewViewHoldingIt() {
        PreparedCertificate onePrepare = certificate(FIRST, 2);

        assertViewChangeRejected(viewChange(1, 0, onePrepare));
        assertNewViewRejected(newViewWith(viewChange(1, 0, onePrepare)), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aCertificateWhosePrePrepareIsNotFromThePrimaryOfItsViewInvalidatesItsViewChangeAndANewViewHoldingIt() {
        PreparedCertificate fromBackup = certificate(prePrepare(0, 1, 2, request(7, 1)), 1, 3);

        assertViewChangeRejected(viewChange(1, 0, fromBackup));
        assertNewViewRejected(newViewWith(viewChange(1, 0, fromBackup)), Rejection.INVALID_NEW_VIEW);
    }

    @Test
    void aCertificateWhosePreparesNameAnotherDigestInvalidatesItsViewChangeAndANewViewHoldingIt() {
        PreparedCertificate mismatched = new PreparedCertificate(signed(FIRST), List.of(
                signed(new Prepare(0, 1, THIRD.batchDigest(), 1)), signed(new Prepare(0, 1, THIRD.batchDigest(), 2))));

        assertViewChangeRejected(viewChange(1, 0, mismatched));
        assertNewViewRejected(newViewWith(viewChange(1, 0, mismatched)), Rejection.INVALID_NEW_VIEW);
    }

    // ------------------------------------------------------------------ view changes a replica rejects

    @Test
    void aCertificateAboveTheSendersWindowInvalidatesItsViewChange() {
        // The sender's stable checkpoint is 0 and the window 8: it cannot have prepared 9.
        assertViewChangeRejected(viewChange(1, 0, certificate(prePrepare(0, 9, request(9, 1)), 1, 2)));
    }

    @Test
    void aCertificateAtOrBelowTheSendersStableCheckpointInvalidatesItsViewChange() {
        StableCheckpoint atFour = stableCheckpoint(4, STATE, 0, 1, 2);

        assertViewChangeRejected(viewChange(1, atFour, 0, certificate(prePrepare(0, 4, request(9, 1)), 1, 2)));
    }

    @Test
    void aCertificateFromTheNewViewOrLaterInvalidatesItsViewChange() {
        PreparedCertificate inView1 = certificate(prePrepare(1, 1, request(9, 1)), 2, 3);

        assertViewChangeRejected(viewChange(1, 0, inView1));
    }

    @Test
    void certificatesOutOfSequenceOrderInvalidateTheirViewChange() {
        assertViewChangeRejected(viewChange(1, 0, certificate(THIRD, 1, 2), certificate(FIRST, 1, 2)));
    }

    @Test
    void aStableCheckpointProvenByFewerThanTwoFPlusOneSignaturesInvalidatesItsViewChange() {
        assertViewChangeRejected(viewChange(1, stableCheckpoint(4, STATE, 0, 1), 0));
    }

    @Test
    void aRepeatedViewChangeCountsOnce() {
        Replica replica = replica(3);
        deliver(replica, 0, viewChange(1, 0));

        Effects again = deliver(replica, 0, viewChange(1, 0));

        assertThat(sent(again)).isEmpty(); // one sender twice is not f + 1
        assertThat(replica.view()).isZero();
        assertThat(replica.rejections().count(Rejection.DUPLICATE_MESSAGE)).isEqualTo(1);
    }

    @Test
    void aViewChangeForAViewAlreadyEnteredIsIgnored() {
        Replica backup = replica(3);
        deliver(backup, 1, NEW_VIEW);

        Effects late = deliver(backup, 0, viewChange(1, 0));

        assertThat(sent(late)).isEmpty();
        assertThat(backup.rejections().count(Rejection.WRONG_VIEW)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ liveness

    @Test
    void fPlusOneViewChangesForHigherViewsMakeAReplicaJoinTheLowestOfThem() {
        Replica replica = replica(3);

        Effects one = deliver(replica, 1, viewChange(2, 1));
        Effects two = deliver(replica, 2, viewChange(3, 2));

        assertThat(sent(one)).isEmpty(); // f votes may all be faulty ones
        assertThat(two.messages()).singleElement().satisfies(vote -> {
            assertThat(vote.isBroadcast()).isTrue();
            assertThat(vote.message()).isEqualTo(viewChange(2, 3));
        });
        assertLeftFor(2, ViewChangeCause.JOINED_OTHERS, replica, two);
    }

    @Test
    void theWaitForTheNewViewStartsOnlyOnceTwoFPlusOneReplicasVotedForIt() {
        Replica replica = replica(3);
        timeOut(replica);
        deliver(replica, 0, viewChange(1, 0));

        Effects muchLater = replica.onTick(now + 50 * TIMEOUT_MILLIS);
        now += 50 * TIMEOUT_MILLIS + 1;
        Effects quorum = deliver(replica, 1, viewChange(1, 1));

        assertThat(sent(muchLater, ViewChange.class)).isEmpty();
        assertThat(replica.view()).isEqualTo(1);
        assertThat(waitAfter(quorum)).isEqualTo(2 * TIMEOUT_MILLIS);
    }

    @Test
    void theWaitForTheNewViewDoublesWithEachViewChangeWithoutProgress() {
        Replica replica = replica(3);
        Effects requested = replica.onRequest(request(99, 1), now++);
        long requestWait = waitAfter(requested);
        now = requested.wakeAtMillis();
        replica.onTick(now++);

        List<Long> newViewWaits = new ArrayList<>();
        for (long view = 1; view <= 2; view++) {
            Effects quorum = othersVoteFor(replica, view);
            newViewWaits.add(waitAfter(quorum));
            now = quorum.wakeAtMillis();
            replica.onTick(now++); // the new view did not come: vote for the next
        }

        assertThat(requestWait).isEqualTo(TIMEOUT_MILLIS);
        assertThat(newViewWaits).containsExactly(2 * TIMEOUT_MILLIS, 4 * TIMEOUT_MILLIS);
        assertThat(replica.view()).isEqualTo(3);
    }

    @Test
    void aReplicaWhoseNewViewDoesNotArriveInTimeVotesForTheNextView() {
        Replica replica = replica(3);
        timeOut(replica);
        Effects quorum = othersVoteFor(replica, 1);

        Effects justBefore = replica.onTick(quorum.wakeAtMillis() - 1);
        Effects atDeadline = replica.onTick(quorum.wakeAtMillis());

        assertThat(sent(justBefore)).isEmpty();
        assertThat(sent(atDeadline)).containsExactly(viewChange(2, 3));
        assertLeftFor(2, ViewChangeCause.NEW_VIEW_TIMEOUT, replica, atDeadline);
    }

    // ------------------------------------------------------------------ learning the view from peers

    @Test
    void aReplicaThatHearsFPlusOnePeersWorkInAHigherViewMovesThereWithoutAViewChangeOfItsOwn() {
        Replica replica = replica(3);

        Effects one = deliver(replica, 1, new Status(1, true, 0, 0, 1));
        Effects two = deliver(replica, 2, new Status(1, true, 0, 0, 2));

        assertThat(one.events()).isEmpty();
        assertThat(sent(two, ViewChange.class)).isEmpty();
        assertLeftFor(1, ViewChangeCause.JOINED_OTHERS, replica, two);

        Effects relayed = deliver(replica, 1, NEW_VIEW); // relayed by any peer, it arrives as its signer's

        assertThat(relayed.events()).containsExactly(new NewViewEntered(1, 1, 3));
        assertThat(replica.isActive()).isTrue();
    }

    @Test
    void peersThatAreChangingViewDoNotMoveAReplica() {
        Replica replica = replica(3);

        for (int peer = 0; peer < 3; peer++) {
            deliver(replica, peer, new Status(1, false, 0, 0, peer));
        }

        assertThat(replica.view()).isZero();
        assertThat(replica.isActive()).isTrue();
    }

    @Test
    void aPeerWhoseStatusShowsItLacksTheCurrentViewIsSentItsNewView() {
        Replica replica = replica(3);
        deliver(replica, 1, NEW_VIEW);

        Effects toOlderView = deliver(replica, 0, new Status(0, true, 0, 0, 0));
        Effects toChangingView = deliver(replica, 2, new Status(1, false, 0, 0, 2));
        Effects toSameView = deliver(replica, 1, new Status(1, true, 0, 0, 1));

        assertThat(toOlderView.messages()).singleElement().satisfies(relayed -> {
            assertThat(relayed.destination()).isZero();
            assertThat(relayed.message()).isEqualTo(NEW_VIEW);
            assertThat(relayed.envelope()).isEqualTo(signed(NEW_VIEW).envelope()); // the primary's signature
        });
        assertThat(toChangingView.messages()).extracting(Outbound::destination, Outbound::message)
                .containsExactly(tuple(2, NEW_VIEW));
        assertThat(sent(toSameView)).isEmpty();
    }

    // ------------------------------------------------------------------ batches a new view needs

    @Test
    void aCarriedOverSlotWhoseBatchIsMissingCommitsButExecutesOnlyOnceTheRightBatchArrives() {
        Replica backup = replica(3); // never saw FIRST or THIRD in view 0
        PrePrepare carried = REISSUED.get(0);

        Effects entered = deliver(backup, 1, NEW_VIEW);
        Effects prepared = deliver(backup, 2, prepare(carried, 2));
        deliver(backup, 1, commit(carried, 1));
        Effects committed = deliver(backup, 2, commit(carried, 2));
        Effects wrongBatch = deliver(backup, 2, new BatchContent(1, FIRST.batchDigest(), List.of(request(8, 1)), 2));
        Effects rightBatch = deliver(backup, 2, new BatchContent(1, FIRST.batchDigest(), List.of(request(7, 1)), 2));

        assertThat(sent(entered, FetchBatch.class)).containsExactly(
                new FetchBatch(1, FIRST.batchDigest(), 3), new FetchBatch(3, THIRD.batchDigest(), 3));
        assertThat(sent(prepared)).containsExactly(commit(carried, 3));
        assertThat(committed.executions()).isEmpty();
        assertThat(wrongBatch.executions()).isEmpty();
        assertThat(backup.rejections().count(Rejection.DIGEST_MISMATCH)).isEqualTo(1);
        assertThat(rightBatch.executions()).containsExactly(
                new Execution(1, FIRST.batchDigest(), List.of(request(7, 1)), false));
    }

    @Test
    void aBatchNobodyAskedForIsRejected() {
        Replica backup = replica(3);
        deliver(backup, 1, NEW_VIEW);

        deliver(backup, 2, new BatchContent(2, FIRST.batchDigest(), List.of(request(7, 1)), 2));

        assertThat(backup.rejections().count(Rejection.UNWANTED_BATCH)).isEqualTo(1);
    }

    @Test
    void aReplicaThatHasABatchAnswersAFetchForIt() {
        Replica holder = replica(2);
        deliver(holder, 0, FIRST);
        deliver(holder, 1, NEW_VIEW);

        Effects held = deliver(holder, 3, new FetchBatch(1, FIRST.batchDigest(), 3));
        Effects notHeld = deliver(holder, 3, new FetchBatch(3, THIRD.batchDigest(), 3));

        assertThat(held.messages()).singleElement().satisfies(answer -> {
            assertThat(answer.destination()).isEqualTo(3);
            assertThat(answer.message()).isEqualTo(new BatchContent(1, FIRST.batchDigest(), List.of(request(7, 1)), 2));
        });
        assertThat(sent(notHeld)).isEmpty();
        assertThat(holder.rejections().count(Rejection.UNWANTED_BATCH)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void aCheckpointBecomesStableOnTwoFPlusOneOthersEvenWhenThisReplicaHasNotExecutedThatFar() {
        Replica behind = replica(3);

        deliver(behind, 0, new Checkpoint(4, STATE, 0));
        deliver(behind, 1, new Checkpoint(4, STATE, 1));
        assertThat(behind.lowWatermark()).isZero();
        deliver(behind, 2, new Checkpoint(4, STATE, 2));

        assertThat(behind.lowWatermark()).isEqualTo(4);
        assertThat(behind.lastExecuted()).isZero();
        assertThat(behind.needsState()).isTrue();
        assertThat(behind.stableCheckpoint()).isEqualTo(stableCheckpoint(4, STATE, 0, 1, 2));
    }

    @Test
    void aReplicaMoreThanAWindowBehindLearnsTheStableCheckpointItsPeersProve() {
        // Peers at stable checkpoint 12 answer this replica's status with the proof's signed
        // checkpoints (CheckpointAndStatusTest#aPeerBehindTheRetainedLogGetsTheStableCheckpointAndNoSlots);
        // its window is (0, 8].
        Replica behind = replica(3);

        for (int peer = 0; peer < 3; peer++) {
            deliver(behind, peer, new Checkpoint(12, STATE, peer));
        }

        assertThat(behind.lowWatermark()).isEqualTo(12);
        assertThat(behind.needsState()).isTrue();
    }

    // ------------------------------------------------------------------ requests across a view change

    @Test
    void aBackupForwardsAClientRequestToThePrimaryOfItsCurrentView() {
        Replica backup = replica(3);
        deliver(backup, 1, NEW_VIEW);

        Effects effects = backup.onRequest(request(9, 1), now++);

        assertThat(effects.messages()).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.destination()).isEqualTo(1);
            assertThat(forwarded.message()).isEqualTo(new ForwardedRequest(request(9, 1), 3));
        });
    }

    @Test
    void theNewPrimaryOrdersAForwardedRequestAfterTheCarriedOverSequenceNumbers() {
        Replica next = newPrimaryThatVoted();
        othersVoteForView1(next); // view 1 carries FIRST at sequence 1; it proposes the awaited request at 2

        Effects effects = deliver(next, 3, new ForwardedRequest(request(9, 1), 3));
        Effects firstExecuted = executeFirstInView1(next);

        // Two batches in flight (the limit): the forwarded request waits, then goes out at 3.
        assertThat(effects.messages()).isEmpty();
        assertThat(firstExecuted.messages()).filteredOn(o -> o.message() instanceof PrePrepare)
                .singleElement().satisfies(proposal -> {
                    assertThat(proposal.isBroadcast()).isTrue();
                    long agreedTime = ((PrePrepare) proposal.message()).timestampMillis();
                    assertThat(agreedTime).isPositive();
                    assertThat(proposal.message()).isEqualTo(new PrePrepare(1, 3,
                            PrePrepare.digestOf(agreedTime, List.of(request(9, 1))), 1, agreedTime));
                    assertThat(proposal.batch()).containsExactly(request(9, 1));
                });
    }

    /** Backups 2 and 3 prepare and commit the carried-over FIRST in view 1; the effects of its execution. */
    private Effects executeFirstInView1(Replica next) {
        PrePrepare carried = new PrePrepare(1, 1, FIRST.batchDigest(), 1);
        deliver(next, 2, prepare(carried, 2));
        deliver(next, 3, prepare(carried, 3));
        deliver(next, 2, commit(carried, 2));
        Effects committed = deliver(next, 3, commit(carried, 3));
        Execution execution = committed.executions().get(0);
        return next.onExecuted(execution.sequence(), echo(execution), ByteString.EMPTY, now++);
    }

    @Test
    void aRequestForwardedToTheOldPrimaryAfterTheViewChangeIsRejected() {
        Replica oldPrimary = replica(0);
        deliver(oldPrimary, 1, NEW_VIEW);

        Effects effects = deliver(oldPrimary, 3, new ForwardedRequest(request(9, 1), 3));

        assertThat(effects.messages()).isEmpty();
        assertThat(oldPrimary.rejections().count(Rejection.FORWARDED_TO_BACKUP)).isEqualTo(1);
    }

    @Test
    void aNewPrimaryOrdersTheRequestsItAwaitedAsABackupInsteadOfVotingItselfOut() {
        // Replica 1 awaited client 99's request as a backup and forwarded it to primary 0, which never
        // ordered it: that is why it voted. As the primary of view 1 its batcher starts empty, and the
        // request timer it keeps on that request fires against its own view.
        Replica next = newPrimaryThatVoted();

        Effects entered = othersVoteForView1(next);
        executeFirstInView1(next);
        PrePrepare awaited = sent(entered, PrePrepare.class).get(0);
        assertThat(awaited).isEqualTo(new PrePrepare(1, 2,
                PrePrepare.digestOf(awaited.timestampMillis(), List.of(request(99, 1))), 1, awaited.timestampMillis()));
        deliver(next, 2, prepare(awaited, 2));
        deliver(next, 3, prepare(awaited, 3));
        deliver(next, 2, commit(awaited, 2));
        Execution execution = deliver(next, 3, commit(awaited, 3)).executions().get(0);
        next.onExecuted(execution.sequence(), echo(execution), ByteString.EMPTY, now++);
        Effects muchLater = next.onTick(entered.wakeAtMillis() + 10 * TIMEOUT_MILLIS);

        assertThat(sent(entered, PrePrepare.class)).containsExactly(awaited);
        assertThat(muchLater.events()).isEmpty();
        assertThat(next.view()).isEqualTo(1);
    }
}
