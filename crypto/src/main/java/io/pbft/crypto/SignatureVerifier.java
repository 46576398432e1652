package io.pbft.crypto;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Checks Ed25519 signatures (RFC 8032, as BouncyCastle implements it).
 *
 * <p>Never throws on what a peer controls: a key or signature of the wrong length, a key that is
 * not a curve point, a null array or an out-of-range slice all give {@code false}.
 *
 * <p>Decoding a public key costs a field square root, so decoded keys are kept in a small bounded
 * map: the replica and client keys of a deployment are few and fixed. Once the map is full, new
 * keys are decoded on every call and not retained, so a flood of made-up keys cannot grow memory.
 * Thread-safe.
 */
public final class SignatureVerifier {

    /** How many decoded public keys to keep; far above any cluster's replicas plus clients we run. */
    static final int MAX_CACHED_KEYS = 4096;

    private static final ConcurrentMap<KeyBytes, Ed25519.PublicPoint> DECODED = new ConcurrentHashMap<>();

    private SignatureVerifier() {
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code publicKey32}. */
    public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature) {
        if (message == null) {
            return false;
        }
        return verify(publicKey32, message, 0, message.length, signature);
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature, by {@code publicKey32}, of the
     * {@code length} bytes of {@code message} from {@code offset}.
     */
    public static boolean verify(byte[] publicKey32, byte[] message, int offset, int length, byte[] signature) {
        return verify(publicKey32, message, offset, length, signature, true);
    }

    /**
     * As {@link #verify(byte[], byte[], byte[])}, but never adds the key to the cache: for keys a
     * peer presents before anyone has checked that they belong to the configuration, so that a
     * stream of made-up keys cannot crowd the configured ones out of the cache.
     */
    static boolean verifyWithoutCaching(byte[] publicKey32, byte[] message, byte[] signature) {
        return message != null && verify(publicKey32, message, 0, message.length, signature, false);
    }

    private static boolean verify(byte[] publicKey32, byte[] message, int offset, int length, byte[] signature,
                                  boolean cacheKey) {
        if (publicKey32 == null || publicKey32.length != SigningKey.PUBLIC_KEY_BYTES
                || signature == null || signature.length != SigningKey.SIGNATURE_BYTES
                || message == null || offset < 0 || length < 0 || offset > message.length - length) {
            return false;
        }
        Ed25519.PublicPoint point = decode(publicKey32, cacheKey);
        if (point == null) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, point, message, offset, length);
        } catch (RuntimeException e) {
            // BouncyCastle rejects every malformed input we know of by returning false; this is a
            // last guard so that a peer's bytes can never turn into an exception in our callers.
            return false;
        }
    }

    private static Ed25519.PublicPoint decode(byte[] publicKey32, boolean cacheKey) {
        KeyBytes key = new KeyBytes(publicKey32);
        Ed25519.PublicPoint cached = DECODED.get(key);
        if (cached != null) {
            return cached;
        }
        // Partial validation is what Ed25519.verify(byte[] publicKey, ...) applies itself, so the
        // cache accepts exactly the keys the uncached path would.
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(publicKey32, 0);
        if (point != null && cacheKey && DECODED.size() < MAX_CACHED_KEYS) {
            DECODED.putIfAbsent(new KeyBytes(publicKey32.clone()), point);
        }
        return point;
    }

    /** Number of decoded keys held; for tests. */
    static int cachedKeyCount() {
        return DECODED.size();
    }

    /** A byte array compared by content, as a map key. */
    private static final class KeyBytes {
        private final byte[] bytes;
        private final int hash;

        KeyBytes(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof KeyBytes that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
