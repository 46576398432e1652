package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * A replica's word that the batch with {@code batchDigest} committed at {@code sequence} and that
 * it executed it, with the batch. f + 1 matching ones, so one from a correct replica, let a replica
 * that fell behind execute the batch without the votes of the view it committed in: how a replica
 * catches up on what its peers executed while it was cut off, paused or slow, across view changes.
 */
public record CommittedBatch(long sequence, ByteString batchDigest, List<Request> batch, int replica,
        long timestampMillis) implements ReplicaMessage {

    public CommittedBatch {
        batch = List.copyOf(batch);
    }

    /** A batch without a time (timestamp 0). */
    public CommittedBatch(long sequence, ByteString batchDigest, List<Request> batch, int replica) {
        this(sequence, batchDigest, batch, replica, 0);
    }
}
