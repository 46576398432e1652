package io.pbft.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replica's side of the key exchange run once when a client connects (the PBFT paper's MAC
 * authenticators with keys exchanged at connection set-up): signed X25519 ephemeral keys, so the
 * session key is fresh per connection, known to the two ends only, and bound to both identities.
 *
 * <ol>
 *   <li>The replica creates a responder and sends {@link #nonce()}, {@link #ephemeralPublicKey()}
 *       and {@link #signature()} (over "pbft-hello-responder-v1", its id, the nonce and the
 *       ephemeral key).</li>
 *   <li>The client answers with {@link HandshakeInitiator#respond}.</li>
 *   <li>The replica passes the client's identity key, ephemeral key and signature to
 *       {@link #complete}, and gets the session key.</li>
 * </ol>
 *
 * <p>This class proves that the client holds the private key of the identity key it presented; it
 * does not decide whether that identity may connect. The caller must check the identity key
 * against the configured clients before using the session key.
 *
 * <p>{@link #complete} may be called once: the ephemeral private key is erased on the first call,
 * whether it succeeds or not, so a failed exchange cannot be retried on the same responder.
 * Thread-safe.
 */
public final class HandshakeResponder {

    /** Length of the responder's nonce. */
    public static final int NONCE_BYTES = HandshakeTranscript.NONCE_BYTES;
    /** Length of an X25519 ephemeral public key. */
    public static final int EPHEMERAL_PUBLIC_KEY_BYTES = HandshakeTranscript.EPHEMERAL_KEY_BYTES;

    private final int responderId;
    private final byte[] nonce;
    private final byte[] ephemeralPublicKey;
    private final byte[] signature;
    private final AtomicReference<byte[]> ephemeralPrivateKey;

    private HandshakeResponder(int responderId, byte[] nonce, byte[] ephemeralPrivateKey, byte[] signature,
                               byte[] ephemeralPublicKey) {
        this.responderId = responderId;
        this.nonce = nonce;
        this.ephemeralPrivateKey = new AtomicReference<>(ephemeralPrivateKey);
        this.ephemeralPublicKey = ephemeralPublicKey;
        this.signature = signature;
    }

    /** Starts an exchange: draws the nonce and the ephemeral key, and signs them as replica {@code responderId}. */
    public static HandshakeResponder create(SigningKey responderKey, int responderId, SecureRandom random) {
        Objects.requireNonNull(responderKey, "responderKey");
        Objects.requireNonNull(random, "random");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] ephemeralPrivateKey = HandshakeTranscript.newEphemeralPrivateKey(random);
        byte[] ephemeralPublicKey = HandshakeTranscript.ephemeralPublicKey(ephemeralPrivateKey);
        byte[] signature = responderKey.sign(HandshakeTranscript.responderHello(responderId, nonce, ephemeralPublicKey));
        return new HandshakeResponder(responderId, nonce, ephemeralPrivateKey, signature, ephemeralPublicKey);
    }

    /** The responder's id, as signed. */
    public int responderId() {
        return responderId;
    }

    /** The 32-byte random nonce (a copy). */
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The 32-byte X25519 ephemeral public key (a copy). */
    public byte[] ephemeralPublicKey() {
        return ephemeralPublicKey.clone();
    }

    /** The responder's 64-byte Ed25519 signature over its hello (a copy). */
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Checks the initiator's answer and derives the session key.
     *
     * @param initiatorIdentityPublicKey the client's Ed25519 identity key (32 bytes); the caller
     *     must still check that it belongs to a configured client
     * @param initiatorEphemeralPublicKey the client's X25519 ephemeral key (32 bytes)
     * @param initiatorSignature the client's signature over its hello (64 bytes)
     * @throws HandshakeException on a missing field or one of the wrong length, a signature that
     *     does not verify, an all-zero shared secret, or a second call
     */
    public SessionKey complete(byte[] initiatorIdentityPublicKey, byte[] initiatorEphemeralPublicKey,
                               byte[] initiatorSignature) throws HandshakeException {
        byte[] privateKey = ephemeralPrivateKey.getAndSet(null);
        if (privateKey == null) {
            throw new HandshakeException("handshake with responder " + responderId + " was already completed or"
                    + " rejected; start a new one");
        }
        try {
            HandshakeTranscript.requireLength(initiatorIdentityPublicKey, SigningKey.PUBLIC_KEY_BYTES,
                    "initiator identity public key");
            HandshakeTranscript.requireLength(initiatorEphemeralPublicKey, EPHEMERAL_PUBLIC_KEY_BYTES,
                    "initiator ephemeral public key");
            HandshakeTranscript.requireLength(initiatorSignature, SigningKey.SIGNATURE_BYTES, "initiator signature");
            byte[] initiatorHello = HandshakeTranscript.initiatorHello(responderId, nonce, ephemeralPublicKey,
                    initiatorEphemeralPublicKey);
            // The identity is not yet known to belong to a configured client: do not cache it.
            if (!SignatureVerifier.verifyWithoutCaching(initiatorIdentityPublicKey, initiatorHello, initiatorSignature)) {
                throw new HandshakeException("initiator signature does not verify under the initiator identity key");
            }
            byte[] sharedSecret = HandshakeTranscript.agree(privateKey, initiatorEphemeralPublicKey);
            try {
                return HandshakeTranscript.deriveKey(sharedSecret, initiatorIdentityPublicKey, responderId, nonce,
                        ephemeralPublicKey, initiatorEphemeralPublicKey);
            } finally {
                Arrays.fill(sharedSecret, (byte) 0);
            }
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "HandshakeResponder[responderId=" + responderId + "]";
    }
}
