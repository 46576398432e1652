package io.pbft.client;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The client's part of PBFT for one request: a result is accepted once f + 1 distinct replicas
 * replied with the same bytes, since at least one of them is correct. Pure and single-threaded,
 * so the network client and the simulator's clients share it.
 */
public final class ReplyQuorum {

    private final long clientId;
    private final long timestamp;
    private final int f;
    /** One reply per replica: a replica that answers twice cannot vote twice. */
    private final Map<Integer, Reply> byReplica = new TreeMap<>();

    public ReplyQuorum(long clientId, long timestamp, int f) {
        this.clientId = clientId;
        this.timestamp = timestamp;
        this.f = f;
    }

    /**
     * Offers one authenticated reply; returns the accepted result once f + 1 replicas agree.
     * Replies to another request are ignored.
     */
    public Optional<ByteString> offer(Reply reply) {
        if (reply.clientId() != clientId || reply.timestamp() != timestamp) {
            return Optional.empty();
        }
        byReplica.put(reply.replica(), reply);
        int matching = 0;
        for (Reply other : byReplica.values()) {
            if (other.result().equals(reply.result())) {
                matching++;
            }
        }
        return matching >= f + 1 ? Optional.of(reply.result()) : Optional.empty();
    }

    /**
     * The highest view that at least f + 1 replicas reported being in (0 before that many
     * replied): at least one of them is correct, so a faulty replica cannot inflate it to
     * misdirect the client's next request. It tells the client who the primary is.
     */
    public long viewVouchedFor() {
        if (byReplica.size() < f + 1) {
            return 0;
        }
        long[] views = byReplica.values().stream().mapToLong(Reply::view).sorted().toArray();
        return views[views.length - (f + 1)];
    }

    public long timestamp() {
        return timestamp;
    }

    public int repliesReceived() {
        return byReplica.size();
    }
}
