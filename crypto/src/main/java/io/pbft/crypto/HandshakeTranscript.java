package io.pbft.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The bytes both sides of the connection handshake sign and hash, in one place so that the
 * responder and the initiator cannot drift apart. Every field has a fixed length, so plain
 * concatenation is unambiguous.
 */
final class HandshakeTranscript {

    static final int NONCE_BYTES = 32;
    static final int EPHEMERAL_KEY_BYTES = X25519.POINT_SIZE;

    private static final byte[] RESPONDER_CONTEXT = ascii("pbft-hello-responder-v1");
    private static final byte[] INITIATOR_CONTEXT = ascii("pbft-hello-initiator-v1");
    private static final byte[] SESSION_CONTEXT = ascii("pbft-session-v1");

    private HandshakeTranscript() {
    }

    /** What the responder signs: its id, its nonce and its ephemeral key. */
    static byte[] responderHello(int responderId, byte[] nonce, byte[] responderEphemeral) {
        return concat(RESPONDER_CONTEXT, bigEndian(responderId), nonce, responderEphemeral);
    }

    /** What the initiator signs: the responder's hello and its own ephemeral key. */
    static byte[] initiatorHello(int responderId, byte[] nonce, byte[] responderEphemeral, byte[] initiatorEphemeral) {
        return concat(INITIATOR_CONTEXT, bigEndian(responderId), nonce, responderEphemeral, initiatorEphemeral);
    }

    /** The session key: binds the shared secret to both identities and the whole exchange. */
    static SessionKey deriveKey(byte[] sharedSecret, byte[] initiatorIdentity, int responderId, byte[] nonce,
                                byte[] responderEphemeral, byte[] initiatorEphemeral) {
        byte[] key = Digests.sha256(SESSION_CONTEXT, sharedSecret, initiatorIdentity, bigEndian(responderId), nonce,
                responderEphemeral, initiatorEphemeral);
        try {
            return SessionKey.of(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A fresh X25519 private key. */
    static byte[] newEphemeralPrivateKey(SecureRandom random) {
        byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, privateKey);
        return privateKey;
    }

    static byte[] ephemeralPublicKey(byte[] ephemeralPrivateKey) {
        byte[] publicKey = new byte[EPHEMERAL_KEY_BYTES];
        X25519.generatePublicKey(ephemeralPrivateKey, 0, publicKey, 0);
        return publicKey;
    }

    /**
     * The X25519 shared secret. A peer that sends a small-order point would force an all-zero
     * secret that an eavesdropper also knows; that is refused (RFC 7748 section 6.1).
     */
    static byte[] agree(byte[] ephemeralPrivateKey, byte[] peerEphemeral) throws HandshakeException {
        byte[] secret = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(ephemeralPrivateKey, 0, peerEphemeral, 0, secret, 0)) {
            throw new HandshakeException("peer ephemeral key gives an all-zero X25519 shared secret");
        }
        return secret;
    }

    /** Rejects a missing field or one of the wrong length, naming it. */
    static void requireLength(byte[] field, int expectedBytes, String name) throws HandshakeException {
        if (field == null) {
            throw new HandshakeException(name + " is missing");
        }
        if (field.length != expectedBytes) {
            throw new HandshakeException(name + " must be " + expectedBytes + " bytes, found " + field.length);
        }
    }

    private static byte[] bigEndian(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
