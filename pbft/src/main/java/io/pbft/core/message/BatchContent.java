package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.List;

/** The answer to {@link FetchBatch}: the requests of a batch, which the receiver checks against the digest. */
public record BatchContent(long sequence, ByteString batchDigest, List<Request> batch, int replica)
        implements ReplicaMessage {

    public BatchContent {
        batch = List.copyOf(batch);
    }
}
