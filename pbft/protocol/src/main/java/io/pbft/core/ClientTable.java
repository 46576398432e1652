package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per client: the newest timestamp ordered for execution and the result of the last request
 * executed. Execution is exactly-once because a request runs only if its timestamp is above the
 * newest ordered one, and the decision is taken in sequence order, identically on every correct
 * replica.
 *
 * <p>Bounded: at a checkpoint, beyond a number of clients, those ordered least recently are
 * forgotten ({@link #evictDownTo}), identically on every correct replica since the table is the
 * same at every checkpoint. Exactly-once survives it through the eviction floor, the newest
 * timestamp of any forgotten client: a client the table does not hold may have had anything up to
 * it executed, so only a newer timestamp runs. (A client whose clock lags the floor is refused as
 * stale; clients take their timestamps from their clock, and the forgotten are the idle ones.)
 *
 * <p>The table is part of the checkpointed state: {@link #encode} gives its canonical bytes, which
 * the checkpoint digest covers, and a replica that installs a checkpoint by state transfer takes
 * the table with it ({@link #decode}). A reply's view and replica are not part of it: they differ
 * between replicas, and a reply sent again is made anew.
 */
final class ClientTable {

    /** Bytes of an encoded entry besides its result: client id, ordered timestamp and sequence, executed timestamp, result length. */
    private static final int ENTRY_HEADER_BYTES = 8 + 8 + 8 + 8 + 4;

    private static final class Entry {
        long lastOrderedTimestamp;
        /** The sequence number whose batch held the request of {@link #lastOrderedTimestamp}: how recently the client was active. */
        long lastOrderedSequence;
        /** The timestamp of the last request executed, whose result is {@link #lastResult}; 0 before any. */
        long lastExecutedTimestamp;
        ByteString lastResult = ByteString.EMPTY;
    }

    private record Session(long clientId, long lastOrderedSequence, long lastOrderedTimestamp) {}

    private final Map<Long, Entry> entries = new TreeMap<>();
    /** The newest timestamp any forgotten client had ordered: what a client not in the table may have had executed. */
    private long evictionFloor;

    long lastOrderedTimestamp(long clientId) {
        Entry entry = entries.get(clientId);
        return entry == null ? evictionFloor : entry.lastOrderedTimestamp;
    }

    /**
     * Marks the request, in the batch of {@code sequence}, ordered if it is newer than anything
     * ordered for its client; returns whether it was.
     */
    boolean markOrdered(Request request, long sequence) {
        if (request.timestamp() <= lastOrderedTimestamp(request.clientId())) {
            return false;
        }
        Entry entry = entries.computeIfAbsent(request.clientId(), id -> new Entry());
        entry.lastOrderedTimestamp = request.timestamp();
        entry.lastOrderedSequence = sequence;
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
        entries.forEach((clientId, entry) -> byActivity.add(new Session(clientId, entry.lastOrderedSequence,
                entry.lastOrderedTimestamp)));
        byActivity.sort(Comparator.comparingLong(Session::lastOrderedSequence).thenComparingLong(Session::clientId));
        for (Session forgotten : byActivity.subList(0, excess)) {
            evictionFloor = Math.max(evictionFloor, forgotten.lastOrderedTimestamp());
            entries.remove(forgotten.clientId());
        }
    }

    void recordReply(Reply reply) {
        Entry entry = entries.computeIfAbsent(reply.clientId(), id -> new Entry());
        entry.lastExecutedTimestamp = reply.timestamp();
        entry.lastResult = reply.result();
    }

    /**
     * The reply, made now in {@code view} by {@code replica}, to exactly this request, or null when
     * it has not executed (or a newer one has).
     */
    Reply cachedReply(Request request, long view, int replica) {
        Entry entry = entries.get(request.clientId());
        if (entry == null || entry.lastExecutedTimestamp == 0 || entry.lastExecutedTimestamp != request.timestamp()) {
            return null;
        }
        return new Reply(view, request.clientId(), request.timestamp(), replica, entry.lastResult);
    }

    int size() {
        return entries.size();
    }

    /**
     * The canonical bytes of the table: the eviction floor, then the entries in client-id order, each
     * client id, newest ordered timestamp and its sequence number, last executed timestamp, result
     * length and result.
     */
    ByteString encode() {
        int bytes = Long.BYTES;
        for (Entry entry : entries.values()) {
            bytes += ENTRY_HEADER_BYTES + entry.lastResult.size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes).putLong(evictionFloor);
        entries.forEach((clientId, entry) -> {
            buffer.putLong(clientId).putLong(entry.lastOrderedTimestamp).putLong(entry.lastOrderedSequence)
                    .putLong(entry.lastExecutedTimestamp).putInt(entry.lastResult.size());
            entry.lastResult.copyTo(buffer);
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
            Entry entry = new Entry();
            entry.lastOrderedTimestamp = buffer.getLong();
            entry.lastOrderedSequence = buffer.getLong();
            entry.lastExecutedTimestamp = buffer.getLong();
            int resultBytes = buffer.getInt();
            if (resultBytes < 0 || resultBytes > buffer.remaining()) {
                throw new IllegalArgumentException("client table entry with a result of " + resultBytes + " bytes");
            }
            if (!decoded.isEmpty() && clientId <= previousClient) {
                throw new IllegalArgumentException("client table entries out of order");
            }
            byte[] result = new byte[resultBytes];
            buffer.get(result);
            entry.lastResult = ByteString.copyFrom(result);
            decoded.put(clientId, entry);
            previousClient = clientId;
        }
        entries.clear();
        entries.putAll(decoded);
        evictionFloor = floor;
    }
}
