package io.pbft.core;

import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The primary's queue of requests waiting for a sequence number. It proposes at once while fewer
 * than {@code maxInFlightBatches} batches are in flight, and otherwise lets requests accumulate,
 * so batches grow with load: one client sees no batching delay, many clients share sequence
 * numbers.
 */
final class Batcher {

    private final ReplicaState state;
    /** One pending request per client, oldest first (insertion order is deterministic). */
    private final LinkedHashMap<Long, Request> pending = new LinkedHashMap<>();
    private final Map<Long, Long> arrivalMillis = new TreeMap<>();
    /** Per client, the newest timestamp already proposed, so a retransmission is not ordered twice. */
    private final Map<Long, Long> proposedTimestamps = new TreeMap<>();
    private long pendingBytes;

    Batcher(ReplicaState state) {
        this.state = state;
    }

    /** Queues a request unless it is already queued or proposed; returns whether it was queued. */
    boolean add(Request request) {
        long proposed = proposedTimestamps.getOrDefault(request.clientId(), 0L);
        Request queued = pending.get(request.clientId());
        if (request.timestamp() <= proposed || (queued != null && request.timestamp() <= queued.timestamp())) {
            return false;
        }
        Request replaced = pending.put(request.clientId(), request);
        pendingBytes += request.sizeBytes() - (replaced == null ? 0 : replaced.sizeBytes());
        arrivalMillis.putIfAbsent(request.clientId(), state.nowMillis);
        return true;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * The view changed: what this replica queued or proposed as primary of the old view counts for
     * nothing now (a request's timestamp is used up when it commits, not when it is proposed), and
     * as primary of the new view it must not propose again what the new view carried over.
     */
    void startView(List<Request> carriedOver) {
        pending.clear();
        arrivalMillis.clear();
        proposedTimestamps.clear();
        pendingBytes = 0;
        for (Request request : carriedOver) {
            proposedTimestamps.merge(request.clientId(), request.timestamp(), Math::max);
        }
    }

    /** Whether a batch should go out now, given how many assigned sequence numbers are not yet executed. */
    boolean readyToPropose(long inFlightBatches) {
        if (pending.isEmpty() || inFlightBatches >= state.config.windowSize()) {
            return false;
        }
        if (pending.size() >= state.config.batchSize() || pendingBytes >= state.config.maxBatchBytes()) {
            return true;
        }
        return inFlightBatches < state.config.maxInFlightBatches()
                && state.nowMillis - oldestArrivalMillis() >= state.config.batchDelayMillis();
    }

    /** When the oldest waiting request's batch delay runs out, or NO_WAKEUP. */
    long wakeAtMillis(long inFlightBatches) {
        if (pending.isEmpty() || inFlightBatches >= state.config.maxInFlightBatches()) {
            return Effects.NO_WAKEUP;
        }
        return oldestArrivalMillis() + state.config.batchDelayMillis();
    }

    /**
     * Removes and returns up to batchSize requests and maxBatchBytes of them, oldest first,
     * remembering them as proposed. Every request fits alone: larger ones were refused on arrival.
     */
    List<Request> takeBatch() {
        List<Request> batch = new ArrayList<>(Math.min(pending.size(), state.config.batchSize()));
        long batchBytes = 0;
        Iterator<Request> it = pending.values().iterator();
        while (it.hasNext() && batch.size() < state.config.batchSize()) {
            Request request = it.next();
            batchBytes += request.sizeBytes();
            if (batchBytes > state.config.maxBatchBytes()) {
                break;
            }
            it.remove();
            pendingBytes -= request.sizeBytes();
            arrivalMillis.remove(request.clientId());
            proposedTimestamps.put(request.clientId(), request.timestamp());
            batch.add(request);
        }
        return batch;
    }

    /** Replacing a client's queued request keeps its place and arrival, so the first entry is the oldest. */
    private long oldestArrivalMillis() {
        return arrivalMillis.get(pending.keySet().iterator().next());
    }
}
