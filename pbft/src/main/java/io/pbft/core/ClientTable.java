package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per client: the newest timestamp ordered for execution and the result of the last request
 * executed. Execution is exactly-once because a request runs only if its timestamp is above the
 * newest ordered one, and the decision is taken in sequence order, identically on every correct
 * replica.
 *
 * <p>The table is part of the checkpointed state: {@link #encode} gives its canonical bytes, which
 * the checkpoint digest covers, and a replica that installs a checkpoint by state transfer takes
 * the table with it ({@link #decode}). A reply's view and replica are not part of it: they differ
 * between replicas, and a reply sent again is made anew.
 */
final class ClientTable {

    /** Bytes of an encoded entry besides its result: client id, timestamp, ordered timestamp, result length. */
    private static final int ENTRY_HEADER_BYTES = 8 + 8 + 8 + 4;

    private static final class Entry {
        long lastOrderedTimestamp;
        /** The timestamp of the last request executed, whose result is {@link #lastResult}; 0 before any. */
        long lastExecutedTimestamp;
        ByteString lastResult = ByteString.EMPTY;
    }

    private final Map<Long, Entry> entries = new TreeMap<>();

    long lastOrderedTimestamp(long clientId) {
        Entry entry = entries.get(clientId);
        return entry == null ? 0 : entry.lastOrderedTimestamp;
    }

    /** Marks the request ordered if it is newer than anything ordered for its client; returns whether it was. */
    boolean markOrdered(Request request) {
        Entry entry = entries.computeIfAbsent(request.clientId(), id -> new Entry());
        if (request.timestamp() <= entry.lastOrderedTimestamp) {
            return false;
        }
        entry.lastOrderedTimestamp = request.timestamp();
        return true;
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
     * The canonical bytes of the table: entries in client-id order, each client id, newest ordered
     * timestamp, last executed timestamp, result length and result.
     */
    ByteString encode() {
        int bytes = 0;
        for (Entry entry : entries.values()) {
            bytes += ENTRY_HEADER_BYTES + entry.lastResult.size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        entries.forEach((clientId, entry) -> {
            buffer.putLong(clientId).putLong(entry.lastOrderedTimestamp).putLong(entry.lastExecutedTimestamp)
                    .putInt(entry.lastResult.size());
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
        long previousClient = Long.MIN_VALUE;
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < ENTRY_HEADER_BYTES) {
                throw new IllegalArgumentException("client table ends inside an entry");
            }
            long clientId = buffer.getLong();
            Entry entry = new Entry();
            entry.lastOrderedTimestamp = buffer.getLong();
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
    }
}
