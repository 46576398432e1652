package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The answer to {@link FetchBatch}: the requests of a batch and its agreed time, which the receiver
 * checks against the digest.
 */
public record BatchContent(long sequence, ByteString batchDigest, List<Request> batch, int replica,
        long timestampMillis) implements ReplicaMessage {

    public BatchContent {
        batch = List.copyOf(batch);
    }

    /** A batch without a time (timestamp 0). */
    public BatchContent(long sequence, ByteString batchDigest, List<Request> batch, int replica) {
        this(sequence, batchDigest, batch, replica, 0);
    }
}
