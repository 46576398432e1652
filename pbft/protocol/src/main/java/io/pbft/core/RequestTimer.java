package io.pbft.core;

import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A replica's watch on its view's progress. Two timers, and the view changes when either runs out:
 *
 * <ul>
 *   <li>the request timer of the PBFT paper: it runs while a backup knows of a client request that
 *       has not executed. Only the execution of an awaited request restarts it (for the next one
 *       awaited), so a primary that orders other requests while it ignores one cannot hold it off;
 *   <li>the progress timer: it runs while this replica (the primary included) has accepted a batch
 *       that has not executed, and restarts on every execution. It catches a view that lost its
 *       quorum with nothing left to await: the batch that stalls committed at one replica, which
 *       answers the client from its cache, while another replica already left the view.
 * </ul>
 *
 * And one measure: how long awaited requests take to execute ({@link PrimaryPace}), so that a
 * primary that orders every request just before the request timer runs out is voted out too.
 */
final class RequestTimer {

    static final long NOT_RUNNING = Effects.NO_WAKEUP;

    private final ReplicaState state;
    /**
     * A request this replica knows of and has not seen execute, and since when it knows of it in
     * this view; {@link #CARRIED_OVER} for one it knew of before, whose delay would measure the view
     * change rather than the new primary.
     */
    private record Awaited(Request request, long sinceMillis) {}

    private static final long CARRIED_OVER = -1;

    /**
     * Per client, by timestamp, the requests this replica knows of and has not seen execute: every
     * one of a pipelining client's window, so that a primary that orders a client's newer requests
     * and ignores an older one is caught as surely as one that ignores a client altogether.
     */
    private final NavigableMap<Long, NavigableMap<Long, Awaited>> awaited = new TreeMap<>();
    /** Tells which awaited requests can no longer execute here: executed, or fallen below their client's window. */
    private final ClientTable clients;
    private final PrimaryPace pace;
    private boolean complained;
    private long deadlineMillis = NOT_RUNNING;
    private long progressDeadlineMillis = NOT_RUNNING;
    /** When this replica last had something to wait for (a request, a batch) or saw an execution. */
    private long lastBusyMillis;

    RequestTimer(ReplicaState state, ClientTable clients) {
        this.state = state;
        this.clients = clients;
        this.pace = new PrimaryPace(state.config.slowPrimaryDefence());
    }

    /** A backup received a client request: it expects to see it execute. */
    void await(Request request, long timeoutMillis) {
        NavigableMap<Long, Awaited> ofClient = awaited.computeIfAbsent(request.clientId(), client -> new TreeMap<>());
        ofClient.putIfAbsent(request.timestamp(), new Awaited(request, state.nowMillis));
        while (ofClient.size() > ReplicaConfig.CLIENT_WINDOW) {
            ofClient.pollFirstEntry(); // a client's window holds no more: the oldest can no longer run
        }
        if (deadlineMillis == NOT_RUNNING) {
            deadlineMillis = state.nowMillis + timeoutMillis;
        }
    }

    /**
     * Requests executed (or found executed already): those awaited stop counting, and if any did,
     * the timer restarts for what is still awaited.
     */
    void onExecuted(List<Request> requests, long timeoutMillis) {
        boolean awaitedExecuted = false;
        for (Request request : requests) {
            NavigableMap<Long, Awaited> ofClient = awaited.get(request.clientId());
            if (ofClient == null) {
                continue;
            }
            Awaited known = ofClient.get(request.timestamp());
            if (known != null && known.sinceMillis != CARRIED_OVER) {
                pace.recordOrdering(state.nowMillis - known.sinceMillis);
            }
            // The executed one, and any its execution pushed below the client's window.
            awaitedExecuted |= ofClient.values().removeIf(this::settled);
            if (ofClient.isEmpty()) {
                awaited.remove(request.clientId());
            }
        }
        if (awaitedExecuted) {
            deadlineMillis = awaited.isEmpty() ? NOT_RUNNING : state.nowMillis + timeoutMillis;
        }
    }

    /** Whether an awaited request can no longer execute here: it did, or its client's window moved past it. */
    private boolean settled(Awaited known) {
        ClientTable.Status status = clients.status(known.request);
        return status == ClientTable.Status.EXECUTED || status == ClientTable.Status.TOO_OLD;
    }

    /**
     * After every input: the progress timer runs while a batch this replica accepted is waiting to
     * execute, from the last execution or from when the wait began.
     */
    void afterInput(boolean batchesWaiting, boolean executed, long timeoutMillis) {
        if (batchesWaiting || executed || !awaited.isEmpty()) {
            lastBusyMillis = state.nowMillis;
        }
        if (!batchesWaiting) {
            progressDeadlineMillis = NOT_RUNNING;
        } else if (executed || progressDeadlineMillis == NOT_RUNNING) {
            progressDeadlineMillis = state.nowMillis + timeoutMillis;
        }
    }

    /** Why the view must change, if a timer ran out or the primary is too slow; null if neither. */
    ProtocolEvent.ViewChangeCause expired() {
        if (deadlineMillis <= state.nowMillis) {
            return ProtocolEvent.ViewChangeCause.REQUEST_TIMEOUT;
        }
        if (shouldComplain()) {
            return ProtocolEvent.ViewChangeCause.SLOW_PRIMARY;
        }
        return progressDeadlineMillis <= state.nowMillis ? ProtocolEvent.ViewChangeCause.NO_PROGRESS : null;
    }

    long deadlineMillis() {
        return shouldComplain() ? state.nowMillis : Math.min(deadlineMillis, progressDeadlineMillis);
    }

    /** The primary is too slow and this replica has not said so yet in this view. */
    private boolean shouldComplain() {
        return !complained && pace.tooSlow();
    }

    /** This replica complained of its primary's pace: once per view is enough (the complaint is resent with its status). */
    void complained() {
        complained = true;
    }

    /**
     * Moves whichever timer ran out a timeout further on; and forgets the delays measured so far,
     * which measured this replica's own lag as much as the primary.
     */
    void postpone(long timeoutMillis) {
        pace.discardOrdering();
        if (deadlineMillis <= state.nowMillis) {
            deadlineMillis = state.nowMillis + timeoutMillis;
        }
        if (progressDeadlineMillis <= state.nowMillis) {
            progressDeadlineMillis = state.nowMillis + timeoutMillis;
        }
    }

    /**
     * This replica caught up by installing its peers' state: what it awaited meanwhile waited on its
     * own lag, so neither those requests nor the delays measured so far judge the primary. Requests
     * the installed state executed are no longer awaited: this replica will never see them execute,
     * and a timer left running for them would vote the primary out alone once the cluster fell idle.
     */
    void forgetOwnLag(long timeoutMillis) {
        pace.discardOrdering();
        awaited.values().forEach(ofClient -> ofClient.values().removeIf(this::settled));
        awaited.values().removeIf(Map::isEmpty);
        carryOver();
        if (deadlineMillis != NOT_RUNNING) {
            deadlineMillis = awaited.isEmpty() ? NOT_RUNNING : state.nowMillis + timeoutMillis;
        }
    }

    /**
     * Moves the running timers on by {@code silentMillis} this replica did not run, and forgets the
     * delays measured so far, which measured its pause as much as the primary.
     */
    void shift(long silentMillis) {
        pace.discardOrdering();
        lastBusyMillis += silentMillis;
        if (deadlineMillis != NOT_RUNNING) {
            deadlineMillis += silentMillis;
        }
        if (progressDeadlineMillis != NOT_RUNNING) {
            progressDeadlineMillis += silentMillis;
        }
    }

    /** Whether this replica has had nothing to wait for, and seen nothing execute, for {@code millis}. */
    boolean idleFor(long millis) {
        return awaited.isEmpty() && state.nowMillis - lastBusyMillis >= millis;
    }

    /** A batch executed {@code delayMillis} after this replica accepted its pre-prepare. */
    void onAgreed(long delayMillis) {
        pace.recordAgreement(delayMillis);
    }

    /** A view change started: no timer runs until the new view, whose primary is judged afresh. */
    void stop() {
        pace.discardOrdering();
        complained = false;
        deadlineMillis = NOT_RUNNING;
        progressDeadlineMillis = NOT_RUNNING;
    }

    /**
     * The new view started: the wait for what is still awaited starts over, and so does the measure
     * of the primary, on requests learned of in this view: what executed during the view change, and
     * what was awaited across it, measured the view change rather than the new primary.
     */
    void restart(long timeoutMillis) {
        lastBusyMillis = state.nowMillis;
        pace.discardOrdering();
        complained = false;
        carryOver();
        deadlineMillis = awaited.isEmpty() ? NOT_RUNNING : state.nowMillis + timeoutMillis;
        progressDeadlineMillis = NOT_RUNNING;
    }

    /** What was awaited so far waited across a view change or this replica's own lag: its delay judges no primary. */
    private void carryOver() {
        awaited.values().forEach(ofClient -> ofClient.replaceAll((timestamp, known) ->
                new Awaited(known.request, CARRIED_OVER)));
    }

    /** As the new primary: what this replica awaited as a backup, for it to order now, each client's oldest first. */
    List<Request> takeAwaited() {
        List<Request> requests = new ArrayList<>();
        for (NavigableMap<Long, Awaited> ofClient : awaited.values()) {
            for (Awaited known : ofClient.values()) {
                requests.add(known.request);
            }
        }
        awaited.clear();
        deadlineMillis = NOT_RUNNING;
        return requests;
    }
}
