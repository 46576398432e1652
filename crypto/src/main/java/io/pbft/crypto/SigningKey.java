package io.pbft.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key together with its public key.
 *
 * <p>Signing goes through BouncyCastle's stateless {@link Ed25519} functions rather than the
 * stateful {@code Ed25519Signer}, so one instance may sign from any number of threads at once.
 * The public key is derived once here, so a signature does not pay for deriving it again.
 */
public final class SigningKey {

    /** Length of an Ed25519 private key (the RFC 8032 seed). */
    public static final int PRIVATE_KEY_BYTES = Ed25519.SECRET_KEY_SIZE;
    /** Length of an encoded Ed25519 public key. */
    public static final int PUBLIC_KEY_BYTES = Ed25519.PUBLIC_KEY_SIZE;
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

    private final byte[] privateKey;
    private final byte[] publicKey;

    private SigningKey(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[PUBLIC_KEY_BYTES];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    /** A fresh key drawn from {@code random}. */
    public static SigningKey generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] privateKey = new byte[PRIVATE_KEY_BYTES];
        Ed25519.generatePrivateKey(random, privateKey);
        return new SigningKey(privateKey);
    }

    /**
     * The key whose 32-byte RFC 8032 private key is {@code privateKey32}; every 32-byte string is
     * a valid private key.
     *
     * @throws IllegalArgumentException if the array is not 32 bytes long
     */
    public static SigningKey fromPrivateKeyBytes(byte[] privateKey32) {
        Objects.requireNonNull(privateKey32, "privateKey32");
        if (privateKey32.length != PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "Ed25519 private key must be " + PRIVATE_KEY_BYTES + " bytes, found " + privateKey32.length);
        }
        return new SigningKey(privateKey32.clone());
    }

    /** The 32-byte encoded public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 32-byte private key (a copy); only key files should need it. */
    public byte[] privateKeyBytes() {
        return privateKey.clone();
    }

    /** The 64-byte Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        return sign(message, 0, message.length);
    }

    /** The 64-byte Ed25519 signature of {@code length} bytes of {@code message} from {@code offset}. */
    public byte[] sign(byte[] message, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, message.length);
        byte[] signature = new byte[SIGNATURE_BYTES];
        Ed25519.sign(privateKey, 0, publicKey, 0, message, offset, length, signature, 0);
        return signature;
    }

    /** Two keys are equal when their private keys are (compared in constant time). */
    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey that && MessageDigest.isEqual(privateKey, that.privateKey);
    }

    @Override
    public int hashCode() {
        // The public key identifies the key without exposing anything about the private key.
        return Arrays.hashCode(publicKey);
    }

    /** Names the public key only: a private key must never reach a log. */
    @Override
    public String toString() {
        return "SigningKey[public=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
