package io.pbft.core;

import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The primary's queue of requests waiting for a sequence number. It proposes at once while fewer
 * than {@code maxInFlightBatches} batches are in flight, and otherwise lets requests accumulate,
 * so batches grow with load: one client sees no batching delay, many clients share sequence
 * numbers.
 *
 * <p>A client may have up to {@link ReplicaConfig#CLIENT_WINDOW} requests queued (its window, see
 * {@code ClientTable}); beyond that, its newer ones are refused until the queued ones leave, so
 * a client that floods holds no more of the queue than its window.
 */
final class Batcher {

    private record Key(long clientId, long timestamp) {}

    private record Queued(Request request, long arrivalMillis) {}

    /** Waiting requests, oldest first (insertion order is deterministic). */
    private final LinkedHashMap<Key, Queued> pending = new LinkedHashMap<>();
    private final Map<Long, Integer> queuedPerClient = new TreeMap<>();
    /**
     * Per client, the newest timestamps already proposed (at most a window of them), so a
     * retransmission is not ordered twice; one older than those would not run anyway (the client
     * table refuses it at execution).
     */
    private final Map<Long, NavigableSet<Long>> proposedTimestamps = new TreeMap<>();
    private final ReplicaState state;
    private long pendingBytes;

    Batcher(ReplicaState state) {
        this.state = state;
    }

    /** Queues a request unless it is already queued or proposed, or its client's window is full; returns whether it was queued. */
    boolean add(Request request) {
        Key key = new Key(request.clientId(), request.timestamp());
        NavigableSet<Long> proposed = proposedTimestamps.get(request.clientId());
        if ((proposed != null && proposed.contains(request.timestamp())) || pending.containsKey(key)
                || queuedPerClient.getOrDefault(request.clientId(), 0) >= ReplicaConfig.CLIENT_WINDOW) {
            return false;
        }
        pending.put(key, new Queued(request, state.nowMillis));
        queuedPerClient.merge(request.clientId(), 1, Integer::sum);
        pendingBytes += request.sizeBytes();
        return true;
    }

    /** How many of {@code clientId}'s requests wait here, not yet proposed. */
    int queued(long clientId) {
        return queuedPerClient.getOrDefault(clientId, 0);
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
        queuedPerClient.clear();
        proposedTimestamps.clear();
        pendingBytes = 0;
        for (Request request : carriedOver) {
            rememberProposed(request);
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
        Iterator<Queued> it = pending.values().iterator();
        while (it.hasNext() && batch.size() < state.config.batchSize()) {
            Request request = it.next().request();
            batchBytes += request.sizeBytes();
            if (batchBytes > state.config.maxBatchBytes()) {
                break;
            }
            it.remove();
            pendingBytes -= request.sizeBytes();
            queuedPerClient.computeIfPresent(request.clientId(), (client, queued) -> queued == 1 ? null : queued - 1);
            rememberProposed(request);
            batch.add(request);
        }
        return batch;
    }

    private void rememberProposed(Request request) {
        NavigableSet<Long> proposed = proposedTimestamps.computeIfAbsent(request.clientId(), client -> new TreeSet<>());
        proposed.add(request.timestamp());
        if (proposed.size() > ReplicaConfig.CLIENT_WINDOW) {
            proposed.pollFirst();
        }
    }

    /** The first entry is the oldest: entries are never moved. */
    private long oldestArrivalMillis() {
        return pending.values().iterator().next().arrivalMillis();
    }
}
