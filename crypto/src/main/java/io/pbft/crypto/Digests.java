package io.pbft.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * SHA-256 digests. The JDK implementation is used on purpose: HotSpot compiles it to the CPU's
 * SHA instructions, which makes it faster than BouncyCastle's pure-Java digest.
 *
 * <p>Thread-safe: each thread hashes with its own {@link MessageDigest}.
 */
public final class Digests {

    /** Length of a SHA-256 digest. */
    public static final int SHA256_BYTES = 32;

    // reset() before each use: a digest left half-fed by an earlier failure must not leak into the next.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Digests::newSha256);

    private Digests() {
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        Objects.requireNonNull(data, "data");
        return sha256(data, 0, data.length);
    }

    /**
     * SHA-256 of {@code length} bytes of {@code data} from {@code offset}: lets a caller hash the
     * exact bytes it received inside a larger buffer without copying them out.
     */
    public static byte[] sha256(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        MessageDigest digest = SHA256.get();
        digest.reset();
        digest.update(data, offset, length);
        return digest.digest();
    }

    /**
     * SHA-256 of the concatenation of {@code parts}. The parts are not length-prefixed, so callers
     * that hash variable-length fields must frame them themselves.
     */
    public static byte[] sha256(byte[]... parts) {
        Objects.requireNonNull(parts, "parts");
        for (byte[] part : parts) {
            Objects.requireNonNull(part, "part");
        }
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
