package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.PrePrepare;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one replica knows about one sequence number in the current view: the accepted
 * pre-prepare and the prepares and commits received, by sender. Votes may arrive before the
 * pre-prepare; they count once it arrives and only if their digest matches it.
 */
final class Slot {

    final long sequence;
    PrePrepare prePrepare;
    /**
     * A pre-prepare whose requests this replica could not authenticate itself, held until 2f other
     * backups vouch for the same digest with their prepares.
     */
    PrePrepare unverified;
    final Map<Integer, ByteString> prepares = new TreeMap<>();
    final Map<Integer, ByteString> commits = new TreeMap<>();
    boolean prepared;
    boolean committedLocal;

    Slot(long sequence) {
        this.sequence = sequence;
    }

    ByteString digest() {
        return prePrepare == null ? null : prePrepare.batchDigest();
    }

    /** Votes whose digest matches the accepted pre-prepare; zero without one. */
    static int matching(Map<Integer, ByteString> votes, ByteString digest) {
        if (digest == null) {
            return 0;
        }
        int count = 0;
        for (ByteString vote : votes.values()) {
            if (vote.equals(digest)) {
                count++;
            }
        }
        return count;
    }
}
