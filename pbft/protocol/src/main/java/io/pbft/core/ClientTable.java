package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Per client, a window of its newest timestamps: which of them were ordered for execution and the
 * result of each that executed. A client may have up to {@link ReplicaConfig#CLIENT_WINDOW}
 * requests outstanding, ordered in whatever order the primary chose; exactly-once holds because
 * a request runs only if its timestamp is inside the window and not ordered before, and the
 * decision is taken in sequence order, identically on every correct replica.
 *
 * <p>The window of a client whose newest ordered timestamp is {@code H} is {@code (H - W, H]}, as
 * in a sliding-window protocol: a timestamp at or below its lower edge is too old (it may have
 * executed and been forgotten), so it never runs. A client keeps its outstanding timestamps
 * within W of its oldest outstanding one, so none of them falls out of the window before its turn.
 * A client with one request at a time (timestamps from its clock) meets the same rule. The
 * per-client sequence numbers of BFT-SMaRt are the special case W = 1 with dense numbers.
 *
 * <p>Bounded: at most W results per client, and at a checkpoint, beyond a number of clients, those
 * ordered least recently are forgotten ({@link #evictDownTo}), identically on every correct replica
 * since the table is the same at every checkpoint. Exactly-once survives it through the eviction
 * floor, the newest timestamp of any forgotten client: a client the table does not hold may have
 * had anything up to it executed, so only a newer timestamp runs, and a client that comes back
 * keeps that floor as the lower edge of its window. (A client whose clock lags the floor is refused
 * as stale; clients take their timestamps from their clock, and the forgotten are the idle ones.)
 *
 * <p>The table is part of the checkpointed state: {@link #encode} gives its canonical bytes, which
 * the checkpoint digest covers, and a replica that installs a checkpoint by state transfer takes
 * the table with it ({@link #replaceWith}). A reply's view and replica are not part of it: they
 * differ between replicas, and a reply sent again is made anew.
 */
final class ClientTable {

    /** What the table says of a request. */
    enum Status {
        /** Inside its client's window and not ordered yet: it may run. */
        NEW,
        /** Ordered, not executed yet: its reply is on its way. */
        IN_PROGRESS,
        /** Executed: {@link #cachedReply} has its reply. */
        EXECUTED,
        /** At or below its client's window: it may have run and been forgotten, so it never runs. */
        TOO_OLD
    }

    /** Bytes of an encoded entry besides its window: client id, newest ordered timestamp and its sequence, floor, window length. */
    private static final int ENTRY_HEADER_BYTES = 8 + 8 + 8 + 8 + 4;
    /** Bytes of an encoded window slot besides its result: timestamp, result length. */
    private static final int SLOT_HEADER_BYTES = 8 + 4;

    private static final class Entry {
        long newestOrderedTimestamp;
        /** The sequence number whose batch held the request of {@link #newestOrderedTimestamp}: how recently the client was active. */
        long newestOrderedSequence;
        /** The eviction floor when the client (re)entered the table: nothing at or below it runs. */
        long floor;
        /** The ordered timestamps of the window, each with its result, null while it has not executed. */
        final NavigableMap<Long, ByteString> window = new TreeMap<>();

        /** Timestamps at or below this are too old. */
        long lowerEdge() {
            return Math.max(floor, newestOrderedTimestamp - ReplicaConfig.CLIENT_WINDOW);
        }
    }

    private record Session(long clientId, long newestOrderedSequence, long newestOrderedTimestamp) {}

    private final Map<Long, Entry> entries = new TreeMap<>();
    /** The newest timestamp any forgotten client had ordered: what a client not in the table may have had executed. */
    private long evictionFloor;

    Status status(Request request) {
        Entry entry = entries.get(request.clientId());
        long timestamp = request.timestamp();
        if (entry == null) {
            return timestamp <= evictionFloor ? Status.TOO_OLD : Status.NEW;
        }
        if (timestamp <= entry.lowerEdge()) {
            return Status.TOO_OLD;
        }
        if (!entry.window.containsKey(timestamp)) {
            return Status.NEW;
        }
        return entry.window.get(timestamp) == null ? Status.IN_PROGRESS : Status.EXECUTED;
    }

    /**
     * Marks the request, in the batch of {@code sequence}, ordered if it is inside its client's
     * window and was not ordered before; returns whether it was. Timestamps that fall out of the
     * window as it moves are forgotten, results with them.
     */
    boolean markOrdered(Request request, long sequence) {
        if (status(request) != Status.NEW) {
            return false;
        }
        long timestamp = request.timestamp();
        Entry entry = entries.get(request.clientId());
        if (entry == null) {
            entry = new Entry();
            entry.floor = evictionFloor;
            entries.put(request.clientId(), entry);
        }
        if (timestamp > entry.newestOrderedTimestamp) {
            entry.newestOrderedTimestamp = timestamp;
            entry.window.headMap(entry.lowerEdge(), true).clear();
        }
        entry.newestOrderedSequence = sequence;
        entry.window.put(timestamp, null);
        return true;
    }

    /**
     * Forgets the clients ordered least recently (the lowest client id first among equals) until at
     * most {@code maxSessions} remain, raising the eviction floor to cover them. Deterministic: a
     * function of the table alone.
     */
    void evictDownTo(int maxSessions) {
        int excess = entries.size() - maxSessions;
        if (excess <= 0) {
            return;
        }
        // Copied out first: a TreeMap may reuse the entry objects of its entry set as keys are removed.
        List<Session> byActivity = new ArrayList<>(entries.size());
        entries.forEach((clientId, entry) -> byActivity.add(new Session(clientId, entry.newestOrderedSequence,
                entry.newestOrderedTimestamp)));
        byActivity.sort(Comparator.comparingLong(Session::newestOrderedSequence).thenComparingLong(Session::clientId));
        for (Session forgotten : byActivity.subList(0, excess)) {
            evictionFloor = Math.max(evictionFloor, forgotten.newestOrderedTimestamp());
            entries.remove(forgotten.clientId());
        }
    }

    /**
     * Keeps the result of an executed request while its timestamp is in its client's window; one
     * that a newer timestamp of the same batch moved out of the window is not kept (a
     * retransmission of it is then too old).
     */
    void recordReply(Reply reply) {
        Entry entry = entries.get(reply.clientId());
        if (entry != null && entry.window.containsKey(reply.timestamp())) {
            entry.window.put(reply.timestamp(), reply.result());
        }
    }

    /**
     * The reply, made now in {@code view} by {@code replica}, to exactly this request, or null when
     * it has not executed (or its result left the window).
     */
    Reply cachedReply(Request request, long view, int replica) {
        Entry entry = entries.get(request.clientId());
        ByteString result = entry == null ? null : entry.window.get(request.timestamp());
        return result == null ? null : new Reply(view, request.clientId(), request.timestamp(), replica, result);
    }

    int size() {
        return entries.size();
    }

    /**
     * The canonical bytes of the table: the eviction floor, then the entries in client-id order, each
     * client id, newest ordered timestamp and its sequence number, the client's floor, the number of
     * window slots, and the slots in timestamp order, each timestamp, result length and result.
     *
     * @throws IllegalStateException if a request ordered has not executed: the table is encoded at a
     *     checkpoint, when everything up to it executed
     */
    ByteString encode() {
        int bytes = Long.BYTES;
        for (Entry entry : entries.values()) {
            bytes += ENTRY_HEADER_BYTES;
            for (Map.Entry<Long, ByteString> slot : entry.window.entrySet()) {
                if (slot.getValue() == null) {
                    throw new IllegalStateException("client table encoded while request " + slot.getKey()
                            + " is ordered but not executed");
                }
                bytes += SLOT_HEADER_BYTES + slot.getValue().size();
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes).putLong(evictionFloor);
        entries.forEach((clientId, entry) -> {
            buffer.putLong(clientId).putLong(entry.newestOrderedTimestamp).putLong(entry.newestOrderedSequence)
                    .putLong(entry.floor).putInt(entry.window.size());
            entry.window.forEach((timestamp, result) -> {
                buffer.putLong(timestamp).putInt(result.size());
                result.copyTo(buffer);
            });
        });
        return ByteString.copyFrom(buffer.flip());
    }

    /**
     * Replaces the table with one {@link #encode} made, taken from a checkpoint whose digest covers it.
     *
     * @throws IllegalArgumentException if {@code encoded} is not such bytes; the table is then unchanged
     */
    void replaceWith(ByteString encoded) {
        Map<Long, Entry> decoded = new TreeMap<>();
        ByteBuffer buffer = encoded.asReadOnlyByteBuffer();
        if (buffer.remaining() < Long.BYTES) {
            throw new IllegalArgumentException("client table shorter than its eviction floor");
        }
        long floor = buffer.getLong();
        long previousClient = Long.MIN_VALUE;
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < ENTRY_HEADER_BYTES) {
                throw new IllegalArgumentException("client table ends inside an entry");
            }
            long clientId = buffer.getLong();
            if (!decoded.isEmpty() && clientId <= previousClient) {
                throw new IllegalArgumentException("client table entries out of order");
            }
            Entry entry = new Entry();
            entry.newestOrderedTimestamp = buffer.getLong();
            entry.newestOrderedSequence = buffer.getLong();
            entry.floor = buffer.getLong();
            int slots = buffer.getInt();
            if (slots < 0 || slots > ReplicaConfig.CLIENT_WINDOW) {
                throw new IllegalArgumentException("client table entry with " + slots + " window slots");
            }
            for (int i = 0; i < slots; i++) {
                decodeSlot(buffer, entry);
            }
            decoded.put(clientId, entry);
            previousClient = clientId;
        }
        entries.clear();
        entries.putAll(decoded);
        evictionFloor = floor;
    }

    private static void decodeSlot(ByteBuffer buffer, Entry entry) {
        if (buffer.remaining() < SLOT_HEADER_BYTES) {
            throw new IllegalArgumentException("client table ends inside a window slot");
        }
        long timestamp = buffer.getLong();
        int resultBytes = buffer.getInt();
        if (resultBytes < 0 || resultBytes > buffer.remaining()) {
            throw new IllegalArgumentException("client table slot with a result of " + resultBytes + " bytes");
        }
        Long previous = entry.window.isEmpty() ? null : entry.window.lastKey();
        if (timestamp <= entry.lowerEdge() || timestamp > entry.newestOrderedTimestamp
                || (previous != null && timestamp <= previous)) {
            throw new IllegalArgumentException("client table slot " + timestamp + " outside its window or out of order");
        }
        byte[] result = new byte[resultBytes];
        buffer.get(result);
        entry.window.put(timestamp, ByteString.copyFrom(result));
    }
}
