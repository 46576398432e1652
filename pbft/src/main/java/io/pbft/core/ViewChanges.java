package io.pbft.core;

import io.pbft.core.ProtocolEvent.ViewChangeCause;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

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
 *       new-view message, which any replica holding it relays (it is signed by its primary).
 * </ul>
 */
final class ViewChanges {

    /** Timeouts double up to this many times: a partition that heals after hours still ends in progress. */
    private static final int MAX_DOUBLINGS = 10;
    private static final long NO_DEADLINE = Effects.NO_WAKEUP;

    private final ReplicaState state;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final CertificateCheck certificates;
    /** The highest-view valid VIEW-CHANGE from each replica, this one's own included. */
    private final NavigableMap<Integer, Signed<ViewChange>> latest = new TreeMap<>();
    /** The NEW-VIEW of the view this replica works in (null in view 0), relayed to replicas that lack it. */
    private Signed<NewView> newView;
    /** View changes since this replica last saw a request execute: how often the timeouts doubled. */
    private int withoutProgress;
    private long newViewDeadline = NO_DEADLINE;
    /** Per client, the newest request timestamp this replica expects to see executed. */
    private final NavigableMap<Long, Long> awaited = new TreeMap<>();
    private long requestDeadline = NO_DEADLINE;
    /** The view each peer last reported working in (not in a view change), or -1. */
    private final long[] activeViews;

    ViewChanges(ReplicaState state, NormalCase normalCase, Checkpoints checkpoints, CertificateCheck certificates) {
        this.state = state;
        this.normalCase = normalCase;
        this.checkpoints = checkpoints;
        this.certificates = certificates;
        this.activeViews = new long[state.config.replicaCount()];
        Arrays.fill(activeViews, -1);
    }

    // ------------------------------------------------------------------ timers

    /** A backup received a client request: it expects it to execute, or the primary is replaced. */
    void await(Request request) {
        awaited.merge(request.clientId(), request.timestamp(), Math::max);
        if (requestDeadline == NO_DEADLINE && state.active) {
            requestDeadline = state.nowMillis + timeoutMillis();
        }
    }

    /** A batch executed: progress. The request timer restarts if something else is still awaited. */
    void onExecuted(List<Request> requests) {
        for (Request request : requests) {
            Long expected = awaited.get(request.clientId());
            if (expected != null && expected <= request.timestamp()) {
                awaited.remove(request.clientId());
            }
        }
        if (state.active && !requests.isEmpty()) {
            withoutProgress = 0;
            requestDeadline = awaited.isEmpty() ? NO_DEADLINE : state.nowMillis + timeoutMillis();
        }
    }

    /** A request this replica awaited has executed for its client already (a cached reply exists). */
    void forget(Request request) {
        Long expected = awaited.get(request.clientId());
        if (expected != null && expected <= request.timestamp()) {
            awaited.remove(request.clientId());
        }
    }

    void onTick(EffectsBuilder effects) {
        if (state.active && requestDeadline <= state.nowMillis) {
            startViewChange(state.view + 1, ViewChangeCause.REQUEST_TIMEOUT, effects);
        } else if (!state.active && newViewDeadline <= state.nowMillis) {
            startViewChange(state.view + 1, ViewChangeCause.NEW_VIEW_TIMEOUT, effects);
        }
    }

    /** The earliest deadline, for the driver's next tick. */
    void afterInput(EffectsBuilder effects) {
        effects.wakeAt(state.active ? requestDeadline : newViewDeadline);
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
        requestDeadline = NO_DEADLINE;
        newViewDeadline = NO_DEADLINE;
        Signed<ViewChange> own = state.signer.sign(new ViewChange(view, checkpoints.stableCheckpoint(),
                normalCase.preparedCertificates(), state.self()));
        latest.put(state.self(), own);
        effects.broadcast(own);
        effects.event(new ProtocolEvent.ViewChangeStarted(view, cause));
        afterVote(effects);
    }

    /** This replica's VIEW-CHANGE while it waits for the new view, resent with its status; else null. */
    Signed<ViewChange> pendingViewChange() {
        Signed<ViewChange> own = latest.get(state.self());
        return !state.active && own != null && own.message().newView() == state.view ? own : null;
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
        Signed<ViewChange> earlier = latest.get(from);
        if (earlier != null && earlier.message().newView() >= viewChange.newView()) {
            state.reject(earlier.message().newView() == viewChange.newView() && earlier.equals(signed)
                    ? Rejection.DUPLICATE_MESSAGE
                    : Rejection.STALE_VIEW_CHANGE);
            return;
        }
        latest.put(from, signed);
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
        List<Long> higher = new ArrayList<>();
        for (Signed<ViewChange> vote : latest.values()) {
            if (vote.signer() != state.self() && vote.message().newView() > state.view) {
                higher.add(vote.message().newView());
            }
        }
        int f = state.config.f();
        if (higher.size() >= f + 1) {
            higher.sort(null);
            startViewChange(higher.get(higher.size() - (f + 1)), ViewChangeCause.JOINED_OTHERS, effects);
        }
    }

    /** Once 2f + 1 replicas voted for the view this replica waits for: its primary can act, the wait starts. */
    private void afterVote(EffectsBuilder effects) {
        if (state.active) {
            return;
        }
        List<Signed<ViewChange>> votes = votesFor(state.view);
        if (votes.size() < state.config.quorum()) {
            return;
        }
        if (newViewDeadline == NO_DEADLINE) {
            newViewDeadline = state.nowMillis + timeoutMillis();
        }
        if (state.isPrimary() && latest.containsKey(state.self())
                && latest.get(state.self()).message().newView() == state.view) {
            announceNewView(votes, effects);
        }
    }

    /** The votes for {@code view}: this replica's own first (a new primary must include it), then by id. */
    private List<Signed<ViewChange>> votesFor(long view) {
        List<Signed<ViewChange>> votes = new ArrayList<>();
        Signed<ViewChange> own = latest.get(state.self());
        if (own != null && own.message().newView() == view) {
            votes.add(own);
        }
        for (Signed<ViewChange> vote : latest.values()) {
            if (vote.signer() != state.self() && vote.message().newView() == view) {
                votes.add(vote);
            }
        }
        return votes;
    }

    private void announceNewView(List<Signed<ViewChange>> votes, EffectsBuilder effects) {
        List<Signed<ViewChange>> chosen = votes.subList(0, state.config.quorum());
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
        latest.values().removeIf(vote -> vote.message().newView() <= state.view);
        if (checkpoints.adopt(plan.checkpoint(), effects)) {
            normalCase.discardUpTo(state.lowWatermark);
        }
        normalCase.enterView(state.view, message.prePrepares(), effects);
        requestDeadline = awaited.isEmpty() ? NO_DEADLINE : state.nowMillis + timeoutMillis();
        effects.event(new ProtocolEvent.NewViewEntered(state.view, state.primary(), message.prePrepares().size()));
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
            requestDeadline = NO_DEADLINE;
            newViewDeadline = state.nowMillis + timeoutMillis();
            latest.remove(state.self());
            effects.event(new ProtocolEvent.ViewChangeStarted(view, ViewChangeCause.JOINED_OTHERS));
        }
    }
}
