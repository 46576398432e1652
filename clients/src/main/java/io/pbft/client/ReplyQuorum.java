package io.pbft.client;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The client's part of PBFT for one request: a result is accepted once enough distinct replicas
 * replied with the same bytes: f + 1 by default, since at least one of them is correct; 2f + 1 for
 * a read-only request and for an ordered one in a cluster where reads are read-only (see {@link
 * PbftClient#invokeReadOnly}). Pure and single-threaded, so the network client and the
 * simulator's clients share it.
 */
public final class ReplyQuorum {

    private final long clientId;
    private final long timestamp;
    private final int f;
    private final int required;
    /** One reply per replica: a replica that answers twice cannot vote twice. */
    private final Map<Integer, Reply> byReplica = new TreeMap<>();

    /** A quorum of f + 1 matching replies. */
    public ReplyQuorum(long clientId, long timestamp, int f) {
        this(clientId, timestamp, f, f + 1);
    }

    /** A quorum of {@code required} matching replies: f + 1 or 2f + 1. */
    public ReplyQuorum(long clientId, long timestamp, int f, int required) {
        if (required != f + 1 && required != 2 * f + 1) {
            throw new IllegalArgumentException("a quorum is f + 1 or 2f + 1 replies, not " + required + " (f = " + f + ")");
        }
        this.clientId = clientId;
        this.timestamp = timestamp;
        this.f = f;
        this.required = required;
    }

    /**
     * Offers one authenticated reply; returns the accepted result once the required number of
     * replicas agree. Replies to another request are ignored.
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
        return matching >= required ? Optional.of(reply.result()) : Optional.empty();
    }

    /**
     * Whether some result can still gather the required matching replies from the {@code
     * replicaCount} replicas, counting those that have not replied as agreeing with it. False once
     * the replies split so that none can: a read-only request that concurrent writes (or lying or
     * lagging replicas) split this way is retried as an ordered one at once, without waiting.
     */
    public boolean canStillAgree(int replicaCount) {
        Map<ByteString, Integer> counts = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
        int most = 0;
        for (Reply reply : byReplica.values()) {
            most = Math.max(most, counts.merge(reply.result(), 1, Integer::sum));
        }
        return most + (replicaCount - byReplica.size()) >= required;
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

    /** How many matching replies a result needs. */
    public int required() {
        return required;
    }

    public int repliesReceived() {
        return byReplica.size();
    }
}
