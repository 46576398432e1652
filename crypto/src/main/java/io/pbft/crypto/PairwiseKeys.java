package io.pbft.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The MAC keys two replicas share, derived from nothing but their Ed25519 identity keys: each
 * replica turns its own key and the peer's public key into the X25519 form (the birational map
 * between the Edwards and Montgomery forms of Curve25519, as libsodium's
 * {@code crypto_sign_ed25519_pk_to_curve25519} does), and both arrive at the same Diffie-Hellman
 * secret. From it come two keys, one per direction, so a MAC made for one peer can neither be
 * reflected back nor replayed to a third replica.
 *
 * <p>Why static keys rather than a handshake per connection, as clients do: replica channels
 * reconnect and replicas restart, and a key that depends only on the configuration never needs
 * to be agreed again, so no message is ever sent under a key the receiver does not hold yet.
 * Forward secrecy would buy nothing here: the MACs authenticate, nothing is encrypted, and
 * whoever holds a replica's identity key can already sign as that replica.
 */
public final class PairwiseKeys {

    private static final BigInteger FIELD_PRIME = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final byte[] LABEL = "pbft replica channel v1".getBytes(StandardCharsets.US_ASCII);

    /** The key for messages from this replica to the peer. */
    private final SessionKey outbound;
    /** The key for messages from the peer to this replica. */
    private final SessionKey inbound;

    private PairwiseKeys(SessionKey outbound, SessionKey inbound) {
        this.outbound = outbound;
        this.inbound = inbound;
    }

    /**
     * The keys replica {@code selfId}, holding {@code self}, shares with replica {@code peerId},
     * whose configured public key is {@code peerPublicKey}. The peer computes the same two keys,
     * with their roles swapped.
     *
     * @throws IllegalArgumentException if the ids are equal or negative, or the public key is not
     *     a 32-byte encoding of a usable curve point
     */
    public static PairwiseKeys derive(SigningKey self, int selfId, byte[] peerPublicKey, int peerId) {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(peerPublicKey, "peerPublicKey");
        if (selfId < 0 || peerId < 0 || selfId == peerId) {
            throw new IllegalArgumentException("replica ids must be distinct and non-negative, found "
                    + selfId + " and " + peerId);
        }
        byte[] secret = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(montgomeryScalar(self), 0, montgomeryPublicKey(peerPublicKey), 0, secret, 0)) {
            throw new IllegalArgumentException("public key of replica " + peerId + " is a small-order point");
        }
        byte[] ownPublicKey = self.publicKey();
        SessionKey outbound = directional(secret, selfId, ownPublicKey, peerId, peerPublicKey);
        SessionKey inbound = directional(secret, peerId, peerPublicKey, selfId, ownPublicKey);
        Arrays.fill(secret, (byte) 0);
        return new PairwiseKeys(outbound, inbound);
    }

    /** The key for MACs on messages this replica sends to the peer. */
    public SessionKey outbound() {
        return outbound;
    }

    /** The key for checking MACs on messages the peer sends to this replica. */
    public SessionKey inbound() {
        return inbound;
    }

    @Override
    public String toString() {
        return "PairwiseKeys[hidden]";
    }

    /**
     * The X25519 scalar of an Ed25519 key: RFC 8032 signs with the first half of SHA-512 of the
     * seed (clamped), and X25519 clamps the same way on use, so the same scalar times the base
     * point gives the peer's view of our public key.
     */
    static byte[] montgomeryScalar(SigningKey key) {
        byte[] seed = key.privateKeyBytes();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512").digest(seed);
            byte[] scalar = Arrays.copyOf(hash, X25519.SCALAR_SIZE);
            Arrays.fill(hash, (byte) 0);
            return scalar;
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-512.
            throw new IllegalStateException("SHA-512 is not available", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The Montgomery u = (1 + y) / (1 - y) of an encoded Edwards point (little-endian y, sign bit on top). */
    static byte[] montgomeryPublicKey(byte[] edwardsPublicKey) {
        if (edwardsPublicKey.length != SigningKey.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("public key must be " + SigningKey.PUBLIC_KEY_BYTES + " bytes, found "
                    + edwardsPublicKey.length);
        }
        byte[] bigEndian = reversed(edwardsPublicKey);
        bigEndian[0] &= 0x7f; // the x sign bit plays no part in u
        BigInteger y = new BigInteger(1, bigEndian);
        if (y.compareTo(FIELD_PRIME) >= 0 || y.equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("public key is not a usable Ed25519 point");
        }
        BigInteger u = BigInteger.ONE.add(y)
                .multiply(BigInteger.ONE.subtract(y).mod(FIELD_PRIME).modInverse(FIELD_PRIME))
                .mod(FIELD_PRIME);
        byte[] fixed = new byte[X25519.POINT_SIZE];
        byte[] magnitude = u.toByteArray(); // big-endian, possibly with a leading zero byte
        int length = Math.min(magnitude.length, fixed.length);
        System.arraycopy(magnitude, magnitude.length - length, fixed, fixed.length - length, length);
        return reversed(fixed);
    }

    private static SessionKey directional(byte[] secret, int fromId, byte[] fromKey, int toId, byte[] toKey) {
        MessageDigest sha256 = Digests.newSha256();
        sha256.update(LABEL);
        sha256.update(secret);
        sha256.update(ByteBuffer.allocate(2 * Integer.BYTES).putInt(fromId).putInt(toId).array());
        sha256.update(fromKey);
        sha256.update(toKey);
        byte[] key = sha256.digest();
        SessionKey sessionKey = SessionKey.of(key);
        Arrays.fill(key, (byte) 0);
        return sessionKey;
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
