package io.pbft.core;

import io.pbft.core.ProtocolEvent.ViewChangeCause;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.SlowPrimaryComplaint;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Replacing a primary that is faulty, slow or cut off.
 *
 * <ul>
 *   <li>Request timer: a backup that knows of a request (clients send to everyone when the primary
 *       does not answer) expects it to execute within the timeout, restarted on each execution;
 *       when it does not, the backup votes for the next view with a VIEW-CHANGE carrying its
 *       stable checkpoint proof and its prepared certificates.
 *   <li>The new primary, on 2f + 1 valid view changes for its view, sends NEW-VIEW with them and
 *       the pre-prepares it re-issues ({@link NewViewPlan}); every backup recomputes that set and
 *       accepts only a new view that matches it.
 *   <li>Liveness: the wait for the new view doubles with every consecutive view change without
 *       progress, and when it runs out the replica votes for the view after; f + 1 votes for
 *       higher views make a replica join the lowest of them (one of the f + 1 is correct); a
 *       replica that hears from f + 1 replicas working in a higher view goes there and asks for its
 *       new-view message, which any replica holding it relays (it is signed by its primary); a
 *       replica idle for a timeout joins a peer that voted alone, which could never come back.
 * </ul>
 */
final class ViewChanges {

    /** Timeouts double up to this many times: a partition that heals after hours still ends in progress. */
    private static final int MAX_DOUBLINGS = 10;
    private static final long NO_DEADLINE = Effects.NO_WAKEUP;
    /**
     * A peer counts as heard if a message came from it within this many status intervals: every
     * replica reports its status once an interval, so a few intervals of silence from 2f peers at
     * once mean this replica is the one cut off, not that reports were lost.
     */
    private static final int HEARD_WITHIN_STATUS_INTERVALS = 3;

    private final ReplicaState state;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final CertificateCheck certificates;
    private final ViewChangeVotes votes;
    /** The NEW-VIEW of the view this replica works in (null in view 0), relayed to replicas that lack it. */
    private Signed<NewView> newView;
    /** View changes since this replica last saw a request execute: how often the timeouts doubled. */
    private int withoutProgress;
    private long newViewDeadline = NO_DEADLINE;
    private final RequestTimer requestTimer;
    /** What this replica had executed when it last put off voting because it was catching up. */
    private long executedWhenPostponed = -1;
    /** The view each peer last reported working in (not in a view change), or -1. */
    private final long[] activeViews;
    /** The highest view each replica complained of its primary's pace in, or -1. */
    private final long[] complaintViews;
    /** When this replica last heard from each peer, or -1: a replica cut off from its peers does not vote. */
    private final long[] lastHeardMillis;

    ViewChanges(ReplicaState state, NormalCase normalCase, Checkpoints checkpoints, CertificateCheck certificates,
            ClientTable clients) {
        this.state = state;
        this.normalCase = normalCase;
        this.checkpoints = checkpoints;
        this.certificates = certificates;
        this.requestTimer = new RequestTimer(state, clients);
        this.votes = new ViewChangeVotes(state.self());
        this.activeViews = new long[state.config.replicaCount()];
        Arrays.fill(activeViews, -1);
        this.complaintViews = new long[state.config.replicaCount()];
        Arrays.fill(complaintViews, -1);
        this.lastHeardMillis = new long[state.config.replicaCount()];
        Arrays.fill(lastHeardMillis, -1);
    }

    // ------------------------------------------------------------------ timers

    /** A backup received a client request: it expects it to execute, or the primary is replaced. */
    void await(Request request) {
        if (state.active) {
            requestTimer.await(request, timeoutMillis());
        }
    }

    /** Requests executed (or found executed already): progress, and perhaps what the request timer awaited. */
    void onExecuted(List<Request> requests) {
        if (state.active && !requests.isEmpty()) {
            withoutProgress = 0;
        }
        requestTimer.onExecuted(requests, timeoutMillis());
    }

    /**
     * This replica installed its peers' state: its own lag, not the primary, delayed what it awaited,
     * and what the state executed already it no longer awaits.
     */
    void onStateInstalled() {
        requestTimer.forgetOwnLag(timeoutMillis());
    }

    /** A batch executed {@code delayMillis} after this replica accepted its pre-prepare: the pace of agreement. */
    void onAgreed(long delayMillis) {
        requestTimer.onAgreed(delayMillis);
    }

    /** A request found executed already (its reply is cached): no longer awaited. */
    void forget(Request request) {
        requestTimer.onExecuted(List.of(request), timeoutMillis());
    }

    /**
     * This replica took no input for {@code silentMillis}, far longer than the status interval it
     * asks its driver to wake it at: its process was stopped (a long garbage collection, a paused
     * VM) or starved. Its timers did not watch meanwhile, so that time does not count: otherwise it
     * would vote at once on resuming, alone, before its peers' reports told it what had executed
     * while it was away, and sit in a view change its peers never join.
     */
    void resumedAfter(long silentMillis) {
        requestTimer.shift(silentMillis);
        if (newViewDeadline != NO_DEADLINE) {
            newViewDeadline += silentMillis;
        }
    }

    /** An authenticated message from {@code peer} arrived. */
    void heardFrom(int peer) {
        lastHeardMillis[peer] = state.nowMillis;
    }

    /**
     * Votes the primary out when a timer ran out; but not while this replica needs its peers' state,
     * nor while it is behind its peers (f + 1 of them executed more) and still catching up: what it
     * waits for is then its own lag, not the primary, and a replica that voted alone would sit out
     * of the view the others go on working in. A replica behind that made no progress over a whole
     * timeout votes all the same: what it lacks may be what only a view change brings (the votes of
     * a primary that fell silent), and f + 1 reports of being ahead may include a faulty one.
     *
     * <p>Nor does it vote while it has heard from fewer than 2f peers lately: it is the one cut off
     * (its peers report their status every status interval), a vote could not gather a
     * quorum, and having voted it could not go back to the view its peers work in once the cut heals.
     * When the primary alone falls silent, the 2f other backups are still heard.
     */
    void onTick(boolean behind, EffectsBuilder effects) {
        ViewChangeCause expired = state.active ? requestTimer.expired() : null;
        boolean catchingUp = state.needsState() || (behind && state.lastExecuted > executedWhenPostponed)
                || peersHeardWithin(HEARD_WITHIN_STATUS_INTERVALS * state.config.statusIntervalMillis())
                        < 2 * state.config.f();
        if (expired != null && catchingUp) {
            executedWhenPostponed = state.lastExecuted;
            requestTimer.postpone(timeoutMillis()); // look again once it may have caught up
        } else if (expired == ViewChangeCause.SLOW_PRIMARY) {
            complain(effects);
        } else if (expired != null) {
            startViewChange(state.view + 1, expired, effects);
        } else if (!state.active && newViewDeadline <= state.nowMillis) {
            startViewChange(state.view + 1, ViewChangeCause.NEW_VIEW_TIMEOUT, effects);
        } else if (state.active && requestTimer.idleFor(timeoutMillis())) {
            joinLoneVoter(effects);
        }
    }

    /**
     * A peer voted for a later view, and this replica has had nothing to wait for over a whole
     * timeout: the peer is alone in a view change (it saw a request time out that the others saw
     * execute, or it alone was cut off from the primary). Alone it stays there, sitting out every
     * view to come: one of the f faults the cluster tolerates spent on a correct replica. Joining
     * it costs nothing while nothing is asked of the cluster, and a vote never endangers safety,
     * whenever it is cast. A faulty peer can use this only to change the view of a cluster that has
     * been idle for a timeout, and each such change without an execution doubles the timeout.
     */
    private void joinLoneVoter(EffectsBuilder effects) {
        long view = votes.lowestOtherVoteAbove(state.view);
        if (view > state.view) {
            startViewChange(view, ViewChangeCause.JOINED_WHILE_IDLE, effects);
        }
    }

    // ------------------------------------------------------------------ slow primary

    /**
     * This backup finds its primary too slow: it complains to everyone, and votes only once f + 1
     * replicas complained of this view (see {@link SlowPrimaryComplaint}).
     */
    private void complain(EffectsBuilder effects) {
        requestTimer.complained();
        complaintViews[state.self()] = state.view;
        effects.broadcast(new SlowPrimaryComplaint(state.view, state.self()));
        voteIfEnoughComplaints(effects);
    }

    /** A peer finds the primary of {@code complaint.view()} too slow. */
    void onComplaint(int from, SlowPrimaryComplaint complaint, EffectsBuilder effects) {
        if (complaint.view() < state.view || (complaint.view() == state.view && !state.active)) {
            state.reject(Rejection.WRONG_VIEW);
            return;
        }
        complaintViews[from] = Math.max(complaintViews[from], complaint.view());
        voteIfEnoughComplaints(effects);
    }

    private void voteIfEnoughComplaints(EffectsBuilder effects) {
        int complaints = 0;
        for (long view : complaintViews) {
            complaints += view == state.view ? 1 : 0;
        }
        if (state.active && complaints >= state.config.f() + 1) {
            startViewChange(state.view + 1, ViewChangeCause.SLOW_PRIMARY, effects);
        }
    }

    /** This replica's complaint of its current view's primary, resent with its status; else null. */
    SlowPrimaryComplaint pendingComplaint() {
        return state.active && complaintViews[state.self()] == state.view
                ? new SlowPrimaryComplaint(state.view, state.self())
                : null;
    }

    /**
     * After every input: keeps the progress timer running while a batch waits to execute (see
     * {@link RequestTimer}), and asks to be woken at the earliest deadline.
     */
    void afterInput(boolean batchesWaiting, boolean executed, EffectsBuilder effects) {
        if (state.active) {
            requestTimer.afterInput(batchesWaiting, executed, timeoutMillis());
        }
        effects.wakeAt(state.active ? requestTimer.deadlineMillis() : newViewDeadline);
    }

    private int peersHeardWithin(long millis) {
        int heard = 0;
        for (int peer = 0; peer < lastHeardMillis.length; peer++) {
            if (peer != state.self() && lastHeardMillis[peer] >= 0 && state.nowMillis - lastHeardMillis[peer] <= millis) {
                heard++;
            }
        }
        return heard;
    }

    private long timeoutMillis() {
        return state.config.viewChangeTimeoutMillis() << Math.min(withoutProgress, MAX_DOUBLINGS);
    }

    // ------------------------------------------------------------------ voting

    /** Leaves the current view for {@code view}: from now on only view-change messages go out. */
    void startViewChange(long view, ViewChangeCause cause, EffectsBuilder effects) {
        state.view = view;
        state.active = false;
        withoutProgress++;
        requestTimer.stop();
        newViewDeadline = NO_DEADLINE;
        Signed<ViewChange> own = state.signer.sign(new ViewChange(view, checkpoints.stableCheckpoint(),
                normalCase.preparedCertificates(), state.self()));
        votes.add(own);
        effects.persist(new DurableRecord.ViewChangeSent(own, state.lowWatermark));
        effects.broadcast(own);
        effects.event(new ProtocolEvent.ViewChangeStarted(view, cause));
        afterVote(effects);
    }

    /** This replica's VIEW-CHANGE while it waits for the new view, resent with its status; else null. */
    Signed<ViewChange> pendingViewChange() {
        return state.active ? null : votes.own(state.view);
    }

    void onViewChange(int from, Signed<ViewChange> signed, EffectsBuilder effects) {
        ViewChange viewChange = signed.message();
        if (viewChange.newView() < state.view || (viewChange.newView() == state.view && state.active)) {
            state.reject(Rejection.WRONG_VIEW);
            return;
        }
        Rejection invalid = check(viewChange);
        if (invalid != null) {
            state.reject(invalid);
            return;
        }
        if (!votes.add(signed)) {
            state.reject(Rejection.DUPLICATE_MESSAGE);
            return;
        }
        joinIfOthersMovedOn(effects);
        afterVote(effects);
    }

    /** Null if the view change is well-formed and proves what it claims, else why not. */
    private Rejection check(ViewChange viewChange) {
        if (certificates.checkStable(viewChange.checkpoint()) != null) {
            return Rejection.INVALID_VIEW_CHANGE;
        }
        long low = viewChange.checkpoint().sequence();
        long previous = low;
        for (PreparedCertificate certificate : viewChange.prepared()) {
            // In increasing order, one per sequence number, inside the sender's window, from an earlier view.
            if (certificate.sequence() <= previous || certificate.sequence() > low + state.config.windowSize()
                    || certificate.view() >= viewChange.newView()
                    || certificates.checkPrepared(certificate) != null) {
                return Rejection.INVALID_VIEW_CHANGE;
            }
            previous = certificate.sequence();
        }
        return null;
    }

    /** f + 1 replicas voted for views above ours, so a correct one did: vote for the lowest of those. */
    private void joinIfOthersMovedOn(EffectsBuilder effects) {
        long view = votes.viewBackedBy(state.config.f() + 1, state.view);
        if (view > state.view) {
            startViewChange(view, ViewChangeCause.JOINED_OTHERS, effects);
        }
    }

    /**
     * Once 2f + 1 replicas voted for this view or beyond, the wait for its new view starts (if they
     * are spread over views, one of those views' waits runs out and they meet in the next); once
     * 2f + 1 voted for exactly this view, its primary announces it.
     */
    private void afterVote(EffectsBuilder effects) {
        if (state.active) {
            return;
        }
        if (newViewDeadline == NO_DEADLINE && votes.votersAtOrAbove(state.view) >= state.config.quorum()) {
            newViewDeadline = state.nowMillis + timeoutMillis();
        }
        List<Signed<ViewChange>> forThisView = votes.votesFor(state.view);
        if (state.isPrimary() && votes.own(state.view) != null && forThisView.size() >= state.config.quorum()) {
            announceNewView(forThisView, effects);
        }
    }

    private void announceNewView(List<Signed<ViewChange>> forThisView, EffectsBuilder effects) {
        List<Signed<ViewChange>> chosen = forThisView.subList(0, state.config.quorum());
        NewViewPlan plan = NewViewPlan.of(chosen.stream().map(Signed::message).toList());
        List<Signed<PrePrepare>> prePrepares = new ArrayList<>();
        for (PrePrepare prePrepare : plan.prePrepares(state.view, state.self())) {
            prePrepares.add(state.signer.sign(prePrepare));
        }
        Signed<NewView> signed = state.signer.sign(new NewView(state.view, chosen, prePrepares, state.self()));
        effects.broadcast(signed);
        enter(signed, plan, effects);
    }

    // ------------------------------------------------------------------ the new view

    void onNewView(int from, Signed<NewView> signed, EffectsBuilder effects) {
        NewView message = signed.message();
        if (message.view() < state.view || (message.view() == state.view && state.active)) {
            state.reject(Rejection.WRONG_VIEW);
            return;
        }
        if (from != state.config.primaryOf(message.view()) || message.replica() != from) {
            state.reject(Rejection.NOT_FROM_PRIMARY);
            return;
        }
        NewViewPlan plan = recompute(message);
        if (plan == null) {
            state.reject(Rejection.INVALID_NEW_VIEW);
            return;
        }
        enter(signed, plan, effects);
    }

    /** The plan the new view's view changes give, or null when they are not a valid quorum or the re-issued set differs. */
    private NewViewPlan recompute(NewView message) {
        BitSet signers = new BitSet(state.config.replicaCount());
        List<ViewChange> viewChanges = new ArrayList<>();
        for (Signed<ViewChange> signed : message.viewChanges()) {
            ViewChange viewChange = signed.message();
            int signer = signed.signer();
            if (viewChange.newView() != message.view() || signer < 0 || signer >= state.config.replicaCount()
                    || signers.get(signer) || check(viewChange) != null) {
                return null;
            }
            signers.set(signer);
            viewChanges.add(viewChange);
        }
        if (viewChanges.size() < state.config.quorum()) {
            return null;
        }
        NewViewPlan plan = NewViewPlan.of(viewChanges);
        List<PrePrepare> expected = plan.prePrepares(message.view(), message.replica());
        List<PrePrepare> offered = message.prePrepares().stream().map(Signed::message).toList();
        return expected.equals(offered) ? plan : null;
    }

    private void enter(Signed<NewView> signed, NewViewPlan plan, EffectsBuilder effects) {
        NewView message = signed.message();
        state.view = message.view();
        state.active = true;
        newView = signed;
        newViewDeadline = NO_DEADLINE;
        votes.discardUpTo(state.view);
        if (checkpoints.adopt(plan.checkpoint(), effects)) {
            normalCase.discardUpTo(state.lowWatermark);
        }
        // Before the prepares the new view's pre-prepares draw (the order a recovery replays).
        effects.persist(new DurableRecord.NewViewEntered(signed, state.lowWatermark));
        normalCase.enterView(state.view, message.prePrepares(), effects);
        requestTimer.restart(timeoutMillis());
        effects.event(new ProtocolEvent.NewViewEntered(state.view, state.primary(), message.prePrepares().size()));
    }

    // ------------------------------------------------------------------ recovery

    /**
     * Recovery: this replica's own vote for {@code own}'s view, made before a restart. It waits for
     * that view again (its peers resend their votes, or the new view, with their status), and
     * moves on when the wait runs out, as after any vote.
     */
    void restoreViewChange(Signed<ViewChange> own) {
        long view = own.message().newView();
        if (view <= state.view) {
            return;
        }
        state.view = view;
        state.active = false;
        requestTimer.stop();
        votes.add(own);
        newViewDeadline = state.nowMillis + timeoutMillis();
    }

    /** Recovery: a new view this replica entered before a restart, entered again as it was then. */
    void restoreNewView(Signed<NewView> signed, EffectsBuilder effects) {
        NewView message = signed.message();
        if (message.view() < state.view || (message.view() == state.view && state.active)) {
            return;
        }
        NewViewPlan plan = recompute(message);
        if (plan == null) {
            // The replica checked it before it logged it; a different configuration now disowns it.
            throw new IllegalStateException("the logged new view of view " + message.view()
                    + " does not check out under this configuration");
        }
        enter(signed, plan, effects);
    }

    /**
     * The record of the view this replica is in, to write again at a stable checkpoint (see {@link
     * DurableRecord.ViewChangeSent}); null in view 0, or in a view it joined without a record.
     */
    DurableRecord currentViewRecord(long stableSequence) {
        if (state.active) {
            return newView != null && newView.message().view() == state.view
                    ? new DurableRecord.NewViewEntered(newView, stableSequence)
                    : null;
        }
        Signed<ViewChange> own = votes.own(state.view);
        return own == null ? null : new DurableRecord.ViewChangeSent(own, stableSequence);
    }

    /** As the new primary: the requests this replica awaited as a backup, to order now. */
    List<Request> takeAwaited() {
        return requestTimer.takeAwaited();
    }

    /** The NEW-VIEW of the current view, or null (view 0, or not yet entered). */
    Signed<NewView> currentNewView() {
        return state.active ? newView : null;
    }

    // ------------------------------------------------------------------ learning the view from status

    /**
     * A peer's status names the view it works in. When f + 1 peers work in views above ours (so a
     * correct one does), this replica was cut off while they changed view: it goes to the lowest of
     * those f + 1 views, without a view change of its own, and waits for that view's NEW-VIEW,
     * which peers send to a replica whose status shows it lacks it.
     */
    void onStatus(int from, Status status, EffectsBuilder effects) {
        activeViews[from] = status.active() ? Math.max(activeViews[from], status.view()) : activeViews[from];
        long[] views = new long[activeViews.length];
        for (int i = 0; i < views.length; i++) {
            views[i] = i == state.self() ? -1 : activeViews[i];
        }
        Arrays.sort(views);
        long view = views[views.length - 1 - state.config.f()]; // the (f + 1)-th highest
        if (view > state.view) {
            state.view = view;
            state.active = false;
            requestTimer.stop();
            newViewDeadline = state.nowMillis + timeoutMillis();
            effects.event(new ProtocolEvent.ViewChangeStarted(view, ViewChangeCause.JOINED_OTHERS));
        }
    }
}
