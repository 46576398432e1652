package io.pbft.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.message.Request;
import io.pbft.crypto.SignatureVerifier;
import io.pbft.crypto.SigningKey;
import java.nio.charset.StandardCharsets;

/**
 * A client's Ed25519 signature of its request, and its check. Unlike a MAC entry, which only one
 * replica can check, a signature is valid for every replica or for none: a request whose signature
 * one replica accepts, every replica accepts. That is what lets an honest primary propose only
 * requests every honest backup can authenticate.
 *
 * <p>What is signed is a context string and the request digest, which covers the client id,
 * timestamp, operation and read-only flag; a request's signature is thus never a valid handshake
 * signature or the reverse, though both are made with the client's identity key.
 */
public final class ClientSignatures {

    private static final byte[] CONTEXT = "pbft-request-v1".getBytes(StandardCharsets.US_ASCII);

    private ClientSignatures() {}

    /** {@code request} with {@code identity}'s public key and its signature. */
    public static Request sign(SigningKey identity, Request request) {
        return request.withSignature(UnsafeByteOperations.unsafeWrap(identity.publicKey()),
                UnsafeByteOperations.unsafeWrap(identity.sign(signedBytes(request))));
    }

    /**
     * Whether {@code request} carries a public key whose client id is the request's and a valid
     * signature by it. Never throws on what a client sends.
     */
    public static boolean verify(Request request) {
        ByteString key = request.clientKey();
        if (key.size() != SigningKey.PUBLIC_KEY_BYTES || request.signature().size() != SigningKey.SIGNATURE_BYTES) {
            return false;
        }
        byte[] keyBytes = key.toByteArray();
        return ClientIds.fromPublicKey(keyBytes) == request.clientId()
                && SignatureVerifier.verify(keyBytes, signedBytes(request), request.signature().toByteArray());
    }

    private static byte[] signedBytes(Request request) {
        ByteString digest = request.digest();
        byte[] bytes = new byte[CONTEXT.length + digest.size()];
        System.arraycopy(CONTEXT, 0, bytes, 0, CONTEXT.length);
        digest.copyTo(bytes, CONTEXT.length);
        return bytes;
    }
}
