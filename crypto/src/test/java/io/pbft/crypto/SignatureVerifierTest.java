package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SigningKey KEY = SigningKey.generate(RANDOM);
    private static final byte[] MESSAGE = "pre-prepare v=0 n=1 d=...".getBytes(StandardCharsets.US_ASCII);

    @Test
    void acceptsASignatureByTheKey() {
        assertThat(SignatureVerifier.verify(KEY.publicKey(), MESSAGE, KEY.sign(MESSAGE))).isTrue();
    }

    @Test
    void acceptsTheRfc8032SecondTestVector() {
        // RFC 8032 section 7.1, TEST 2: the one-byte message 0x72.
        HexFormat hex = HexFormat.of();
        byte[] publicKey = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        byte[] signature = hex.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

        assertThat(SignatureVerifier.verify(publicKey, new byte[] {0x72}, signature)).isTrue();
        assertThat(SignatureVerifier.verify(publicKey, new byte[] {0x73}, signature)).isFalse();
    }

    @Test
    void verifiesASliceOfALargerBuffer() {
        byte[] frame = new byte[MESSAGE.length + 10];
        System.arraycopy(MESSAGE, 0, frame, 7, MESSAGE.length);
        byte[] signature = KEY.sign(MESSAGE);

        assertThat(SignatureVerifier.verify(KEY.publicKey(), frame, 7, MESSAGE.length, signature)).isTrue();
        assertThat(SignatureVerifier.verify(KEY.publicKey(), frame, 6, MESSAGE.length, signature)).isFalse();
    }

    @Test
    void rejectsAFlippedBitInTheMessage() {
        byte[] signature = KEY.sign(MESSAGE);
        byte[] altered = MESSAGE.clone();
        altered[3] ^= 0x10;

        assertThat(SignatureVerifier.verify(KEY.publicKey(), altered, signature)).isFalse();
    }

    @Test
    void rejectsAFlippedBitInTheSignature() {
        byte[] signature = KEY.sign(MESSAGE);
        signature[40] ^= 0x01;

        assertThat(SignatureVerifier.verify(KEY.publicKey(), MESSAGE, signature)).isFalse();
    }

    @Test
    void rejectsAFlippedBitInThePublicKey() {
        byte[] publicKey = KEY.publicKey();
        publicKey[5] ^= 0x04;

        assertThat(SignatureVerifier.verify(publicKey, MESSAGE, KEY.sign(MESSAGE))).isFalse();
    }

    @Test
    void rejectsASignatureByAnotherKey() {
        SigningKey other = SigningKey.generate(RANDOM);

        assertThat(SignatureVerifier.verify(KEY.publicKey(), MESSAGE, other.sign(MESSAGE))).isFalse();
    }

    @Test
    void rejectsAMalleatedSignatureWhoseScalarIsNotReduced() {
        byte[] signature = KEY.sign(MESSAGE);
        // S + L would verify under a lax check; RFC 8032 requires S < L. Setting the top byte of S
        // makes it larger than L whatever the rest.
        signature[63] = (byte) 0xff;

        assertThat(SignatureVerifier.verify(KEY.publicKey(), MESSAGE, signature)).isFalse();
    }

    @Test
    void malformedLengthsReturnFalseWithoutThrowing() {
        byte[] publicKey = KEY.publicKey();
        byte[] signature = KEY.sign(MESSAGE);

        for (int length : new int[] {0, 1, 31, 33, 64}) {
            assertThat(SignatureVerifier.verify(new byte[length], MESSAGE, signature)).as("key of %d bytes", length)
                    .isFalse();
        }
        for (int length : new int[] {0, 1, 32, 63, 65, 128}) {
            byte[] wrongLength = Arrays.copyOf(signature, length);
            assertThat(SignatureVerifier.verify(publicKey, MESSAGE, wrongLength)).as("signature of %d bytes", length)
                    .isFalse();
        }
    }

    @Test
    void nullsAndBadSlicesReturnFalseWithoutThrowing() {
        byte[] publicKey = KEY.publicKey();
        byte[] signature = KEY.sign(MESSAGE);

        assertThat(SignatureVerifier.verify(null, MESSAGE, signature)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, null, signature)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, MESSAGE, null)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, null, 0, 0, signature)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, MESSAGE, -1, 2, signature)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, MESSAGE, 0, -1, signature)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, MESSAGE, 2, MESSAGE.length, signature)).isFalse();
        assertThat(SignatureVerifier.verify(publicKey, MESSAGE, Integer.MAX_VALUE, 1, signature)).isFalse();
    }

    @Test
    void garbageKeysAndSignaturesReturnFalseWithoutThrowing() {
        byte[] allOnes = new byte[32];
        Arrays.fill(allOnes, (byte) 0xff);
        byte[] signature = KEY.sign(MESSAGE);

        assertThat(SignatureVerifier.verify(allOnes, MESSAGE, signature)).as("non-canonical key").isFalse();
        assertThat(SignatureVerifier.verify(new byte[32], MESSAGE, signature)).as("all-zero key").isFalse();
        for (int i = 0; i < 50; i++) {
            byte[] key = new byte[32];
            byte[] garbage = new byte[64];
            RANDOM.nextBytes(key);
            RANDOM.nextBytes(garbage);
            assertThat(SignatureVerifier.verify(key, MESSAGE, garbage)).isFalse();
            assertThat(SignatureVerifier.verify(KEY.publicKey(), MESSAGE, garbage)).isFalse();
        }
    }

    @Test
    void cacheOfDecodedKeysStaysBounded() {
        byte[] message = {42};
        // About half of all 32-byte strings decode to a curve point, so this offers the cache far
        // more valid keys than it may hold. The signature's scalar is out of range, so each call
        // stops right after decoding the key.
        byte[] unreducedSignature = new byte[SigningKey.SIGNATURE_BYTES];
        Arrays.fill(unreducedSignature, (byte) 0xff);
        for (int i = 0; i < 4 * SignatureVerifier.MAX_CACHED_KEYS; i++) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            assertThat(SignatureVerifier.verify(key, message, unreducedSignature)).isFalse();
        }

        assertThat(SignatureVerifier.cachedKeyCount()).isEqualTo(SignatureVerifier.MAX_CACHED_KEYS);
        // Keys that no longer fit are still verified correctly, just not kept.
        SigningKey late = SigningKey.generate(RANDOM);
        assertThat(SignatureVerifier.verify(late.publicKey(), message, late.sign(message))).isTrue();
        assertThat(SignatureVerifier.verify(late.publicKey(), new byte[] {43}, late.sign(message))).isFalse();
        assertThat(SignatureVerifier.cachedKeyCount()).isEqualTo(SignatureVerifier.MAX_CACHED_KEYS);
    }
}
