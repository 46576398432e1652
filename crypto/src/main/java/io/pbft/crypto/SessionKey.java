package io.pbft.crypto;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 32-byte symmetric key shared by one client and one replica, and the MACs made with it:
 * HMAC-SHA256 truncated to {@link #MAC_BYTES} bytes (truncation as in RFC 2104 section 5; 128
 * bits is what the PBFT paper's authenticators need and halves their size on the wire).
 *
 * <p>Thread-safe. Each thread keeps one {@link Mac} for all keys and re-keys it per call: that
 * measured about 15% slower than one {@code Mac} per key per thread, but keeps key material out
 * of every thread's thread-local map when there are thousands of client connections, and is
 * about twice as fast as creating a {@code Mac} per call.
 */
public final class SessionKey {

    /** Length of a session key. */
    public static final int KEY_BYTES = 32;
    /** Length of a MAC: HMAC-SHA256 truncated to 128 bits. */
    public static final int MAC_BYTES = 16;

    private static final String ALGORITHM = "HmacSHA256";
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(SessionKey::newHmac);

    private final SecretKeySpec key;

    private SessionKey(byte[] key32) {
        this.key = new SecretKeySpec(key32, ALGORITHM);
    }

    /**
     * The session key made of {@code key32} (copied).
     *
     * @throws IllegalArgumentException if the array is not 32 bytes long
     */
    public static SessionKey of(byte[] key32) {
        Objects.requireNonNull(key32, "key32");
        if (key32.length != KEY_BYTES) {
            throw new IllegalArgumentException("session key must be " + KEY_BYTES + " bytes, found " + key32.length);
        }
        return new SessionKey(key32);
    }

    /** The 16-byte MAC of {@code data}. */
    public byte[] mac(byte[] data) {
        Objects.requireNonNull(data, "data");
        return mac(data, 0, data.length);
    }

    /** The 16-byte MAC of {@code length} bytes of {@code data} from {@code offset}. */
    public byte[] mac(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        Mac hmac = keyedHmac();
        hmac.update(data, offset, length);
        return Arrays.copyOf(hmac.doFinal(), MAC_BYTES);
    }

    /**
     * Whether {@code mac} is the MAC of {@code data}, compared in constant time. A MAC of the wrong
     * length, or a null argument, gives {@code false}.
     */
    public boolean verify(byte[] data, byte[] mac) {
        if (data == null) {
            return false;
        }
        return verify(data, 0, data.length, mac);
    }

    /** Whether {@code mac} is the MAC of {@code length} bytes of {@code data} from {@code offset}. */
    public boolean verify(byte[] data, int offset, int length, byte[] mac) {
        if (mac == null || mac.length != MAC_BYTES
                || data == null || offset < 0 || length < 0 || offset > data.length - length) {
            return false;
        }
        return MessageDigest.isEqual(mac(data, offset, length), mac);
    }

    /** Says nothing about the key: a key must never reach a log. */
    @Override
    public String toString() {
        return "SessionKey[hidden]";
    }

    private Mac keyedHmac() {
        Mac hmac = HMAC.get();
        try {
            // init also resets whatever an earlier, interrupted call left in this thread's Mac.
            hmac.init(key);
        } catch (InvalidKeyException e) {
            // HmacSHA256 accepts keys of any length, so a 32-byte key cannot be refused.
            throw new IllegalStateException("HmacSHA256 refused a " + KEY_BYTES + "-byte key", e);
        }
        return hmac;
    }

    private static Mac newHmac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide HmacSHA256.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
