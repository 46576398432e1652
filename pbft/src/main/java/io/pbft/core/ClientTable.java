package io.pbft.core;

import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per client: the newest timestamp ordered for execution and the last reply sent. Execution is
 * exactly-once because a request runs only if its timestamp is above the newest ordered one, and
 * the decision is taken in sequence order, identically on every correct replica.
 */
final class ClientTable {

    private static final class Entry {
        long lastOrderedTimestamp;
        Reply lastReply;
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
        entries.computeIfAbsent(reply.clientId(), id -> new Entry()).lastReply = reply;
    }

    /** The cached reply for exactly this request, or null when it has not executed (or a newer one has). */
    Reply cachedReply(Request request) {
        Entry entry = entries.get(request.clientId());
        if (entry == null || entry.lastReply == null || entry.lastReply.timestamp() != request.timestamp()) {
            return null;
        }
        return entry.lastReply;
    }

    int size() {
        return entries.size();
    }
}
