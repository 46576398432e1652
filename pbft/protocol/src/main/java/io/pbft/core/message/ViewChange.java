package io.pbft.core.message;

import java.util.List;

/**
 * A replica's vote to move to {@code newView}, with what it knows that the new primary must not
 * lose: its stable checkpoint (with proof) and, for every sequence number above it that it
 * prepared, the prepared certificate of the highest view in which it did.
 */
public record ViewChange(long newView, StableCheckpoint checkpoint, List<PreparedCertificate> prepared, int replica)
        implements ReplicaMessage {

    public ViewChange {
        prepared = List.copyOf(prepared);
    }
}
