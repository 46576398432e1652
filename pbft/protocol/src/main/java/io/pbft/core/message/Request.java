package io.pbft.core.message;

import com.google.protobuf.ByteString;
import io.pbft.crypto.Digests;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A client's request: {@code <REQUEST, o, t, c>} in the paper. The timestamp orders one client's
 * requests and makes execution exactly-once. The authenticator, the client's public key and its
 * signature are opaque to the core: they are carried unchanged inside pre-prepares so that every
 * replica can check its own MAC entry, or else the signature.
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
    private final ByteString clientKey;
    private final ByteString signature;
    private final ByteString digest;

    /** An unsigned request (empty client key and signature). */
    public Request(long clientId, long timestamp, ByteString operation, boolean readOnly,
            List<ByteString> authenticator) {
        this(clientId, timestamp, operation, readOnly, authenticator, ByteString.EMPTY, ByteString.EMPTY);
    }

    public Request(long clientId, long timestamp, ByteString operation, boolean readOnly,
            List<ByteString> authenticator, ByteString clientKey, ByteString signature) {
        this(clientId, timestamp, operation, readOnly, authenticator, clientKey, signature,
                digestOf(clientId, timestamp, Objects.requireNonNull(operation, "operation"), readOnly));
    }

    private Request(long clientId, long timestamp, ByteString operation, boolean readOnly,
            List<ByteString> authenticator, ByteString clientKey, ByteString signature, ByteString digest) {
        this.clientId = clientId;
        this.timestamp = timestamp;
        this.operation = operation;
        this.readOnly = readOnly;
        this.authenticator = List.copyOf(authenticator);
        this.clientKey = Objects.requireNonNull(clientKey, "clientKey");
        this.signature = Objects.requireNonNull(signature, "signature");
        this.digest = digest;
    }

    public static Request of(long clientId, long timestamp, ByteString operation) {
        return new Request(clientId, timestamp, operation, false, List.of());
    }

    /**
     * SHA-256 over a fixed canonical encoding of the request's content (not its authenticator,
     * key or signature), so that retransmissions with fresh MACs are the same request. It names
     * the client id, which is a hash of the client's key, so it binds the key too.
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

    /** The client's identity public key as the request carries it; empty if unsigned. */
    public ByteString clientKey() {
        return clientKey;
    }

    /** The client's signature as the request carries it; empty if unsigned. */
    public ByteString signature() {
        return signature;
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
        return size + fieldBytes(clientKey) + fieldBytes(signature);
    }

    /** An empty bytes field is not encoded at all. */
    private static int fieldBytes(ByteString field) {
        return field.isEmpty() ? 0 : field.size() + PER_ENTRY_OVERHEAD_BYTES;
    }

    /** The same request with another authenticator (and the same digest, which does not cover it). */
    public Request withAuthenticator(List<ByteString> newAuthenticator) {
        return new Request(clientId, timestamp, operation, readOnly, newAuthenticator, clientKey, signature, digest);
    }

    /** The same request signed: with the client's public key and signature (the digest covers neither). */
    public Request withSignature(ByteString newClientKey, ByteString newSignature) {
        return new Request(clientId, timestamp, operation, readOnly, authenticator, newClientKey, newSignature,
                digest);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Request that
                && clientId == that.clientId
                && timestamp == that.timestamp
                && readOnly == that.readOnly
                && operation.equals(that.operation)
                && authenticator.equals(that.authenticator)
                && clientKey.equals(that.clientKey)
                && signature.equals(that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientId, timestamp, operation, readOnly, authenticator, clientKey, signature);
    }

    @Override
    public String toString() {
        return "Request[clientId=" + clientId + ", timestamp=" + timestamp + ", operation=" + operation.size()
                + " bytes, readOnly=" + readOnly + ", authenticator=" + authenticator.size() + " entries, "
                + (signature.isEmpty() ? "unsigned" : "signed") + "]";
    }
}
