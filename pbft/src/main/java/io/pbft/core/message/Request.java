package io.pbft.core.message;

import com.google.protobuf.ByteString;
import io.pbft.crypto.Digests;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A client's request: {@code <REQUEST, o, t, c>} in the paper. The timestamp orders one client's
 * requests and makes execution exactly-once. The authenticator is opaque to the core: it is
 * carried unchanged inside pre-prepares so that every replica can check its own entry.
 *
 * <p>A value class, not a record, for one reason: the digest is computed once, when the request
 * is made, and kept. A replica needs it to check the client's MAC and again for the batch digest,
 * and a record has no place for a value derived from its components.
 */
public final class Request {

    private static final int FIXED_OVERHEAD_BYTES = 48;
    private static final int PER_ENTRY_OVERHEAD_BYTES = 2;

    private final long clientId;
    private final long timestamp;
    private final ByteString operation;
    private final boolean readOnly;
    private final List<ByteString> authenticator;
    private final ByteString digest;

    public Request(long clientId, long timestamp, ByteString operation, boolean readOnly,
            List<ByteString> authenticator) {
        this(clientId, timestamp, operation, readOnly, authenticator,
                digestOf(clientId, timestamp, Objects.requireNonNull(operation, "operation"), readOnly));
    }

    private Request(long clientId, long timestamp, ByteString operation, boolean readOnly,
            List<ByteString> authenticator, ByteString digest) {
        this.clientId = clientId;
        this.timestamp = timestamp;
        this.operation = operation;
        this.readOnly = readOnly;
        this.authenticator = List.copyOf(authenticator);
        this.digest = digest;
    }

    public static Request of(long clientId, long timestamp, ByteString operation) {
        return new Request(clientId, timestamp, operation, false, List.of());
    }

    /**
     * SHA-256 over a fixed canonical encoding of the request's content (not its authenticator),
     * so that retransmissions with fresh MACs are the same request.
     */
    private static ByteString digestOf(long clientId, long timestamp, ByteString operation, boolean readOnly) {
        ByteBuffer header = ByteBuffer.allocate(17);
        header.putLong(clientId).putLong(timestamp).put((byte) (readOnly ? 1 : 0));
        return ByteString.copyFrom(Digests.sha256(header.array(), operation.toByteArray()));
    }

    public long clientId() {
        return clientId;
    }

    public long timestamp() {
        return timestamp;
    }

    public ByteString operation() {
        return operation;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public List<ByteString> authenticator() {
        return authenticator;
    }

    /** See {@link #digestOf}; computed once, when the request was made. */
    public ByteString digest() {
        return digest;
    }

    /**
     * The bytes this request adds to a pre-prepare, rounded up: its operation and authenticator
     * plus a fixed allowance for the other fields and the encoding's tags and lengths.
     */
    public int sizeBytes() {
        int size = FIXED_OVERHEAD_BYTES + operation.size();
        for (ByteString entry : authenticator) {
            size += entry.size() + PER_ENTRY_OVERHEAD_BYTES;
        }
        return size;
    }

    /** The same request with another authenticator (and the same digest, which does not cover it). */
    public Request withAuthenticator(List<ByteString> newAuthenticator) {
        return new Request(clientId, timestamp, operation, readOnly, newAuthenticator, digest);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Request that
                && clientId == that.clientId
                && timestamp == that.timestamp
                && readOnly == that.readOnly
                && operation.equals(that.operation)
                && authenticator.equals(that.authenticator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, timestamp, operation, readOnly, authenticator);
    }

    @Override
    public String toString() {
        return "Request[clientId=" + clientId + ", timestamp=" + timestamp + ", operation=" + operation.size()
                + " bytes, readOnly=" + readOnly + ", authenticator=" + authenticator.size() + " entries]";
    }
}
