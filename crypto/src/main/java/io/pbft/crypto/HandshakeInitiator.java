package io.pbft.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The client's side of the connection key exchange; see {@link HandshakeResponder} for the whole
 * exchange. One call: check the replica's signed hello, answer with a signed ephemeral key, and
 * derive the session key.
 */
public final class HandshakeInitiator {

    private HandshakeInitiator() {
    }

    /**
     * What the initiator sends back (its ephemeral key and signature, next to its identity key)
     * and the session key it derived. Arrays are copied in and out.
     */
    public record Result(SessionKey key, byte[] ephemeralPublicKey, byte[] signature) {

        public Result {
            Objects.requireNonNull(key, "key");
            ephemeralPublicKey = ephemeralPublicKey.clone();
            signature = signature.clone();
        }

        /** The initiator's 32-byte X25519 ephemeral public key (a copy). */
        @Override
        public byte[] ephemeralPublicKey() {
            return ephemeralPublicKey.clone();
        }

        /** The initiator's 64-byte Ed25519 signature over its hello (a copy). */
        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public String toString() {
            return "HandshakeInitiator.Result[key=" + key + "]";
        }
    }

    /**
     * Answers a replica's hello.
     *
     * @param initiatorKey the client's identity key, which signs the answer
     * @param responderIdentityPublicKey the replica's configured Ed25519 public key (32 bytes),
     *     never one the replica sent
     * @param responderId the replica's configured id
     * @param nonce the replica's nonce (32 bytes)
     * @param responderEphemeralPublicKey the replica's X25519 ephemeral key (32 bytes)
     * @param responderSignature the replica's signature over its hello (64 bytes)
     * @param random source of the client's ephemeral key
     * @throws HandshakeException on a missing field or one of the wrong length, a responder
     *     signature that does not verify, or an all-zero shared secret
     */
    public static Result respond(SigningKey initiatorKey, byte[] responderIdentityPublicKey, int responderId,
                                 byte[] nonce, byte[] responderEphemeralPublicKey, byte[] responderSignature,
                                 SecureRandom random) throws HandshakeException {
        Objects.requireNonNull(initiatorKey, "initiatorKey");
        Objects.requireNonNull(random, "random");
        HandshakeTranscript.requireLength(responderIdentityPublicKey, SigningKey.PUBLIC_KEY_BYTES,
                "responder identity public key");
        HandshakeTranscript.requireLength(nonce, HandshakeResponder.NONCE_BYTES, "responder nonce");
        HandshakeTranscript.requireLength(responderEphemeralPublicKey, HandshakeResponder.EPHEMERAL_PUBLIC_KEY_BYTES,
                "responder ephemeral public key");
        HandshakeTranscript.requireLength(responderSignature, SigningKey.SIGNATURE_BYTES, "responder signature");
        byte[] responderHello = HandshakeTranscript.responderHello(responderId, nonce, responderEphemeralPublicKey);
        if (!SignatureVerifier.verify(responderIdentityPublicKey, responderHello, responderSignature)) {
            throw new HandshakeException("responder signature does not verify for responder " + responderId);
        }

        byte[] ephemeralPrivateKey = HandshakeTranscript.newEphemeralPrivateKey(random);
        byte[] sharedSecret = null;
        try {
            byte[] ephemeralPublicKey = HandshakeTranscript.ephemeralPublicKey(ephemeralPrivateKey);
            sharedSecret = HandshakeTranscript.agree(ephemeralPrivateKey, responderEphemeralPublicKey);
            byte[] signature = initiatorKey.sign(HandshakeTranscript.initiatorHello(responderId, nonce,
                    responderEphemeralPublicKey, ephemeralPublicKey));
            SessionKey key = HandshakeTranscript.deriveKey(sharedSecret, initiatorKey.publicKey(), responderId, nonce,
                    responderEphemeralPublicKey, ephemeralPublicKey);
            return new Result(key, ephemeralPublicKey, signature);
        } finally {
            Arrays.fill(ephemeralPrivateKey, (byte) 0);
            if (sharedSecret != null) {
                Arrays.fill(sharedSecret, (byte) 0);
            }
        }
    }
}
