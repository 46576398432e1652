package io.pbft.core.message;

import com.google.protobuf.ByteString;
import io.pbft.crypto.Digests;
import java.util.List;

/**
 * The primary's proposal to order the batch with digest {@code batchDigest} at {@code sequence} in
 * {@code view}. The signature covers these fields only; the batch travels beside it and is checked
 * against the digest. That keeps a prepared certificate, which a view change carries for every
 * prepared sequence number, a few hundred bytes whatever the batch size.
 */
public record PrePrepare(long view, long sequence, ByteString batchDigest, int replica) implements ReplicaMessage {

    /** The digest of the empty batch: what a new primary orders in a gap of the log it inherited. */
    public static final ByteString NULL_BATCH_DIGEST = digestOf(List.of());

    /** The digest a batch must carry: SHA-256 over the concatenated request digests, in order. */
    public static ByteString digestOf(List<Request> batch) {
        byte[][] parts = new byte[batch.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = batch.get(i).digest().toByteArray();
        }
        return ByteString.copyFrom(Digests.sha256(parts));
    }

    /** The bytes of a batch's requests, as {@link Request#sizeBytes()} counts them. */
    public static long bytesOf(List<Request> batch) {
        long bytes = 0;
        for (Request request : batch) {
            bytes += request.sizeBytes();
        }
        return bytes;
    }
}
