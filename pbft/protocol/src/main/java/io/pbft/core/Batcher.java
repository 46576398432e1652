package io.pbft.core;

import io.pbft.core.message.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
 *
 * <p>While several clients have requests waiting, a batch takes at most
 * {@link #CLIENT_SHARE_PER_BATCH} of each, round-robin over them, so a client with a full window
 * cannot fill every batch while another client's one request waits behind it; a client that is the
 * only one waiting may fill a batch, so it is not held back when nobody else needs the room.
 */
final class Batcher {

    /** The most requests of one client in a batch while other clients' requests wait too. */
    static final int CLIENT_SHARE_PER_BATCH = 4;

    private record Key(long clientId, long timestamp) {}

    private record Queued(Request request, long arrivalMillis) {}

    /** Waiting requests, oldest first (insertion order is deterministic). */
    private final LinkedHashMap<Key, Queued> pending = new LinkedHashMap<>();
    /**
     * The same requests per client, oldest first, the clients in the order their oldest waiting
     * request arrived: the order of the round-robin (insertion order is deterministic).
     */
    private final LinkedHashMap<Long, ArrayDeque<Queued>> byClient = new LinkedHashMap<>();
    /**
     * Per client, the newest timestamps already proposed (at most a window of them), so a
     * retransmission is not ordered twice; one older than those would not run anyway (the client
     * table refuses it at execution).
     */
    private final Map<Long, NavigableSet<Long>> proposedTimestamps = new TreeMap<>();
    /**
     * Per sequence number proposed in this view and not known to be executed, how many requests of
     * each client its batch holds: what {@link #roomFor} charges a client while others are served.
     */
    private final NavigableMap<Long, Map<Long, Integer>> inFlightPerClient = new TreeMap<>();
    private final ReplicaState state;
    private long pendingBytes;
    /** How many requests, and bytes, a batch could take with every client held to its share. */
    private int sharedCount;
    private long sharedBytes;

    Batcher(ReplicaState state) {
        this.state = state;
    }

    /** Queues a request unless it is already queued or proposed, or its client's window is full; returns whether it was queued. */
    boolean add(Request request) {
        Key key = new Key(request.clientId(), request.timestamp());
        NavigableSet<Long> proposed = proposedTimestamps.get(request.clientId());
        if ((proposed != null && proposed.contains(request.timestamp())) || pending.containsKey(key)
                || queued(request.clientId()) >= ReplicaConfig.CLIENT_WINDOW) {
            return false;
        }
        Queued queued = new Queued(request, state.nowMillis);
        pending.put(key, queued);
        ArrayDeque<Queued> ofClient = byClient.computeIfAbsent(request.clientId(), client -> new ArrayDeque<>());
        ofClient.addLast(queued);
        pendingBytes += request.sizeBytes();
        if (ofClient.size() <= CLIENT_SHARE_PER_BATCH) {
            sharedCount++;
            sharedBytes += request.sizeBytes();
        }
        return true;
    }

    private int queued(long clientId) {
        ArrayDeque<Queued> ofClient = byClient.get(clientId);
        return ofClient == null ? 0 : ofClient.size();
    }

    /**
     * How many more of {@code clientId}'s requests this primary would take now: its window less
     * those waiting here and, while another client has requests waiting or in flight, less its own
     * in flight too. The driver reads a client no faster than this allows, so a client alone may
     * pipeline a window, but one that floods beside others has at most its share of the pipeline.
     */
    int roomFor(long clientId) {
        int room = ReplicaConfig.CLIENT_WINDOW - queued(clientId);
        if (!servesOthersThan(clientId)) {
            return room;
        }
        int ownInFlight = 0;
        for (Map<Long, Integer> batch : inFlightPerClient.tailMap(state.lastExecuted, false).values()) {
            Integer own = batch.get(clientId);
            ownInFlight += own == null ? 0 : own;
        }
        return room - ownInFlight;
    }

    /** Whether a client other than {@code clientId} has requests waiting here, or proposed and not yet executed. */
    boolean servesOthersThan(long clientId) {
        if (byClient.size() > (byClient.containsKey(clientId) ? 1 : 0)) {
            return true;
        }
        for (Map<Long, Integer> batch : inFlightPerClient.tailMap(state.lastExecuted, false).values()) {
            if (batch.size() > (batch.containsKey(clientId) ? 1 : 0)) {
                return true;
            }
        }
        return false;
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
        byClient.clear();
        proposedTimestamps.clear();
        inFlightPerClient.clear();
        pendingBytes = 0;
        sharedCount = 0;
        sharedBytes = 0;
        for (Request request : carriedOver) {
            rememberProposed(request);
        }
    }

    /** Whether a batch should go out now, given how many assigned sequence numbers are not yet executed. */
    boolean readyToPropose(long inFlightBatches) {
        if (pending.isEmpty() || inFlightBatches >= state.config.windowSize()) {
            return false;
        }
        // A batch that cannot grow goes out now; with clients held to their shares, a batch is
        // full only if the shares fill it, else a flooding client's backlog alone would send
        // batches out beyond the in-flight limit.
        boolean alone = byClient.size() == 1;
        if ((alone ? pending.size() : sharedCount) >= state.config.batchSize()
                || (alone ? pendingBytes : sharedBytes) >= state.config.maxBatchBytes()) {
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
     * Removes and returns up to batchSize requests and maxBatchBytes of them, remembering them as
     * proposed: one of each waiting client per round, oldest first, for at most
     * {@link #CLIENT_SHARE_PER_BATCH} rounds unless one client alone waits. Every request fits
     * alone: larger ones were refused on arrival. The primary assigns it {@code sequence}.
     */
    List<Request> takeBatch(long sequence) {
        List<Request> batch = cutBatch();
        Map<Long, Integer> perClient = new TreeMap<>();
        for (Request request : batch) {
            perClient.merge(request.clientId(), 1, Integer::sum);
        }
        inFlightPerClient.headMap(state.lastExecuted, true).clear();
        inFlightPerClient.put(sequence, perClient);
        return batch;
    }

    private List<Request> cutBatch() {
        int batchSize = state.config.batchSize();
        int rounds = byClient.size() == 1 ? batchSize : CLIENT_SHARE_PER_BATCH;
        List<Request> batch = new ArrayList<>(Math.min(pending.size(), batchSize));
        long batchBytes = 0;
        for (int round = 0; round < rounds && !byClient.isEmpty(); round++) {
            Iterator<ArrayDeque<Queued>> clients = byClient.values().iterator();
            while (clients.hasNext()) {
                ArrayDeque<Queued> ofClient = clients.next();
                Request request = ofClient.peekFirst().request();
                if (batch.size() == batchSize || batchBytes + request.sizeBytes() > state.config.maxBatchBytes()) {
                    return batch;
                }
                batchBytes += request.sizeBytes();
                takeOldest(ofClient);
                if (ofClient.isEmpty()) {
                    clients.remove();
                }
                batch.add(request);
            }
        }
        return batch;
    }

    /** Removes a client's oldest waiting request; the next one beyond its share moves into it. */
    private void takeOldest(ArrayDeque<Queued> ofClient) {
        Request request = ofClient.pollFirst().request();
        pending.remove(new Key(request.clientId(), request.timestamp()));
        pendingBytes -= request.sizeBytes();
        sharedCount--;
        sharedBytes -= request.sizeBytes();
        if (ofClient.size() >= CLIENT_SHARE_PER_BATCH) {
            Request entering = nth(ofClient, CLIENT_SHARE_PER_BATCH - 1);
            sharedCount++;
            sharedBytes += entering.sizeBytes();
        }
        rememberProposed(request);
    }

    private static Request nth(ArrayDeque<Queued> queue, int index) {
        Iterator<Queued> it = queue.iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return it.next().request();
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
