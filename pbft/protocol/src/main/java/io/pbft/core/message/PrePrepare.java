package io.pbft.core.message;

import com.google.protobuf.ByteString;
import io.pbft.crypto.Digests;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The primary's proposal to order the batch with digest {@code batchDigest} at {@code sequence} in
 * {@code view}, at the agreed time {@code timestampMillis} (the primary's clock, which backups
 * check: see {@code NormalCase}). The signature covers these fields only; the batch travels beside
 * it and is checked against the digest, which covers the timestamp too, so that prepares and
 * commits, which name the digest, agree on the time as well. That keeps a prepared certificate,
 * which a view change carries for every prepared sequence number, a few hundred bytes whatever the
 * batch size.
 */
public record PrePrepare(long view, long sequence, ByteString batchDigest, int replica, long timestampMillis)
        implements ReplicaMessage {

    /** The digest of the empty batch: what a new primary orders in a gap of the log it inherited. */
    public static final ByteString NULL_BATCH_DIGEST = digestOf(List.of());

    /** A proposal without a time: timestamp 0, as a null batch has. */
    public PrePrepare(long view, long sequence, ByteString batchDigest, int replica) {
        this(view, sequence, batchDigest, replica, 0);
    }

    /** The digest of a batch without a time (timestamp 0): SHA-256 over the concatenated request digests, in order. */
    public static ByteString digestOf(List<Request> batch) {
        return digestOf(0, batch);
    }

    /**
     * The digest a batch ordered at {@code timestampMillis} must carry: SHA-256 over the 8-byte
     * timestamp (left out when 0) and the concatenated request digests, in order. With a timestamp
     * the input is 8 bytes longer than a multiple of 32, so it never equals one without.
     */
    public static ByteString digestOf(long timestampMillis, List<Request> batch) {
        int offset = timestampMillis == 0 ? 0 : 1;
        byte[][] parts = new byte[batch.size() + offset][];
        if (offset == 1) {
            parts[0] = ByteBuffer.allocate(Long.BYTES).putLong(timestampMillis).array();
        }
        for (int i = 0; i < batch.size(); i++) {
            parts[i + offset] = batch.get(i).digest().toByteArray();
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
