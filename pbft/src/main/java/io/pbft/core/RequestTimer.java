package io.pbft.core;

import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
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
 */
final class RequestTimer {

    static final long NOT_RUNNING = Effects.NO_WAKEUP;

    private final ReplicaState state;
    /** Per client, the newest request this replica knows of and has not seen execute. */
    private final NavigableMap<Long, Request> awaited = new TreeMap<>();
    private long deadlineMillis = NOT_RUNNING;
    private long progressDeadlineMillis = NOT_RUNNING;

    RequestTimer(ReplicaState state) {
        this.state = state;
    }

    /** A backup received a client request: it expects to see it execute. */
    void await(Request request, long timeoutMillis) {
        Request known = awaited.get(request.clientId());
        if (known == null || known.timestamp() < request.timestamp()) {
            awaited.put(request.clientId(), request);
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
            Request known = awaited.get(request.clientId());
            if (known != null && known.timestamp() <= request.timestamp()) {
                awaited.remove(request.clientId());
                awaitedExecuted = true;
            }
        }
        if (awaitedExecuted) {
            deadlineMillis = awaited.isEmpty() ? NOT_RUNNING : state.nowMillis + timeoutMillis;
        }
    }

    /**
     * After every input: the progress timer runs while a batch this replica accepted is waiting to
     * execute, from the last execution or from when the wait began.
     */
    void afterInput(boolean batchesWaiting, boolean executed, long timeoutMillis) {
        if (!batchesWaiting) {
            progressDeadlineMillis = NOT_RUNNING;
        } else if (executed || progressDeadlineMillis == NOT_RUNNING) {
            progressDeadlineMillis = state.nowMillis + timeoutMillis;
        }
    }

    /** Why the view must change, if a timer ran out; null if none did. */
    ProtocolEvent.ViewChangeCause expired() {
        if (deadlineMillis <= state.nowMillis) {
            return ProtocolEvent.ViewChangeCause.REQUEST_TIMEOUT;
        }
        return progressDeadlineMillis <= state.nowMillis ? ProtocolEvent.ViewChangeCause.NO_PROGRESS : null;
    }

    long deadlineMillis() {
        return Math.min(deadlineMillis, progressDeadlineMillis);
    }

    /** Moves whichever timer ran out a timeout further on. */
    void postpone(long timeoutMillis) {
        if (deadlineMillis <= state.nowMillis) {
            deadlineMillis = state.nowMillis + timeoutMillis;
        }
        if (progressDeadlineMillis <= state.nowMillis) {
            progressDeadlineMillis = state.nowMillis + timeoutMillis;
        }
    }

    /** A view change started: no timer runs until the new view. */
    void stop() {
        deadlineMillis = NOT_RUNNING;
        progressDeadlineMillis = NOT_RUNNING;
    }

    /** The new view started: the wait for what is still awaited starts over. */
    void restart(long timeoutMillis) {
        deadlineMillis = awaited.isEmpty() ? NOT_RUNNING : state.nowMillis + timeoutMillis;
        progressDeadlineMillis = NOT_RUNNING;
    }

    /** As the new primary: what this replica awaited as a backup, for it to order now. */
    List<Request> takeAwaited() {
        List<Request> requests = new ArrayList<>(awaited.values());
        awaited.clear();
        deadlineMillis = NOT_RUNNING;
        return requests;
    }
}
