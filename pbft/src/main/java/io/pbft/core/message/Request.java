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

    /** The same request with another authenticator. */
    public Request withAuthenticator(List<ByteString> newAuthenticator) {
        return new Request(clientId, timestamp, operation, readOnly, newAuthenticator);
    }
}
