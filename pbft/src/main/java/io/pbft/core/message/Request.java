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
 */
public record Request(
        long clientId, long timestamp, ByteString operation, boolean readOnly, List<ByteString> authenticator) {

    private static final int FIXED_OVERHEAD_BYTES = 48;
    private static final int PER_ENTRY_OVERHEAD_BYTES = 2;

    public Request {
        Objects.requireNonNull(operation, "operation");
        authenticator = List.copyOf(authenticator);
    }

    public static Request of(long clientId, long timestamp, ByteString operation) {
        return new Request(clientId, timestamp, operation, false, List.of());
    }

    /**
     * SHA-256 over a fixed canonical encoding of the request's content (not its authenticator),
     * so that retransmissions with fresh MACs are the same request.
     */
    public ByteString digest() {
        ByteBuffer header = ByteBuffer.allocate(17);
        header.putLong(clientId).putLong(timestamp).put((byte) (readOnly ? 1 : 0));
        return ByteString.copyFrom(Digests.sha256(header.array(), operation.toByteArray()));
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

    /** The same request with another authenticator. */
    public Request withAuthenticator(List<ByteString> newAuthenticator) {
        return new Request(clientId, timestamp, operation, readOnly, newAuthenticator);
    }
}
