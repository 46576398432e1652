package io.pbft.core.message;

import com.google.protobuf.ByteString;
import io.pbft.crypto.Digests;
import java.util.List;

/** The primary's proposal to order {@code batch} at {@code sequence} in {@code view}. */
public record PrePrepare(long view, long sequence, ByteString batchDigest, List<Request> batch, int replica)
        implements ReplicaMessage {

    public PrePrepare {
        batch = List.copyOf(batch);
    }

    /** The bytes of the batch's requests, as {@link Request#sizeBytes()} counts them. */
    public long batchBytes() {
        long bytes = 0;
        for (Request request : batch) {
            bytes += request.sizeBytes();
        }
        return bytes;
    }

    /** The digest a batch must carry: SHA-256 over the concatenated request digests, in order. */
    public static ByteString digestOf(List<Request> batch) {
        byte[][] parts = new byte[batch.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = batch.get(i).digest().toByteArray();
        }
        return ByteString.copyFrom(Digests.sha256(parts));
    }
}
