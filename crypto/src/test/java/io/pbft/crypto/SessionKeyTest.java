package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class SessionKeyTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DATA = "request c=7 t=12 op=put".getBytes(StandardCharsets.US_ASCII);

    @Test
    void macIsHmacSha256TruncatedToSixteenBytes() {
        byte[] keyBytes = randomKeyBytes();

        byte[] mac = SessionKey.of(keyBytes).mac(DATA);

        // An independent implementation (BouncyCastle's) as the oracle.
        HMac oracle = new HMac(new SHA256Digest());
        oracle.init(new KeyParameter(keyBytes));
        oracle.update(DATA, 0, DATA.length);
        byte[] full = new byte[32];
        oracle.doFinal(full, 0);
        assertThat(mac).hasSize(SessionKey.MAC_BYTES).hasSize(16).isEqualTo(Arrays.copyOf(full, 16));
    }

    @Test
    void macMatchesRfc4231TestCase2TruncatedOutput() {
        // RFC 4231 test case 2 uses a 4-byte key; HMAC pads keys with zeros to the block size, so
        // the same key zero-extended to 32 bytes gives the same MAC.
        byte[] key = Arrays.copyOf("Jefe".getBytes(StandardCharsets.US_ASCII), 32);
        byte[] data = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

        assertThat(HexFormat.of().formatHex(SessionKey.of(key).mac(data)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c7");
    }

    @Test
    void verifyAcceptsTheMacOfTheData() {
        SessionKey key = SessionKey.of(randomKeyBytes());

        assertThat(key.verify(DATA, key.mac(DATA))).isTrue();
    }

    @Test
    void verifyRejectsAFlippedBitInTheData() {
        SessionKey key = SessionKey.of(randomKeyBytes());
        byte[] mac = key.mac(DATA);
        byte[] altered = DATA.clone();
        altered[0] ^= 0x20;

        assertThat(key.verify(altered, mac)).isFalse();
    }

    @Test
    void verifyRejectsAFlippedBitInTheMac() {
        SessionKey key = SessionKey.of(randomKeyBytes());
        byte[] mac = key.mac(DATA);
        mac[15] ^= 0x01;

        assertThat(key.verify(DATA, mac)).isFalse();
    }

    @Test
    void verifyRejectsAMacMadeWithAnotherKey() {
        SessionKey key = SessionKey.of(randomKeyBytes());
        SessionKey other = SessionKey.of(randomKeyBytes());

        assertThat(key.verify(DATA, other.mac(DATA))).isFalse();
    }

    @Test
    void verifyRejectsWrongLengthsAndNullsWithoutThrowing() {
        SessionKey key = SessionKey.of(randomKeyBytes());
        byte[] mac = key.mac(DATA);

        for (int length : new int[] {0, 1, 15, 17, 32}) {
            assertThat(key.verify(DATA, Arrays.copyOf(mac, length))).as("MAC of %d bytes", length).isFalse();
        }
        assertThat(key.verify(DATA, null)).isFalse();
        assertThat(key.verify(null, mac)).isFalse();
        assertThat(key.verify(null, 0, 0, mac)).isFalse();
        assertThat(key.verify(DATA, -1, 3, mac)).isFalse();
        assertThat(key.verify(DATA, 1, DATA.length, mac)).isFalse();
        assertThat(key.verify(DATA, 0, -1, mac)).isFalse();
    }

    @Test
    void fullUntruncatedHmacIsRejected() {
        byte[] keyBytes = randomKeyBytes();
        HMac oracle = new HMac(new SHA256Digest());
        oracle.init(new KeyParameter(keyBytes));
        oracle.update(DATA, 0, DATA.length);
        byte[] full = new byte[32];
        oracle.doFinal(full, 0);

        assertThat(SessionKey.of(keyBytes).verify(DATA, full)).isFalse();
    }

    @Test
    void macOfSliceEqualsMacOfTheCopiedSlice() {
        SessionKey key = SessionKey.of(randomKeyBytes());
        byte[] frame = new byte[DATA.length + 5];
        System.arraycopy(DATA, 0, frame, 3, DATA.length);

        assertThat(key.mac(frame, 3, DATA.length)).isEqualTo(key.mac(DATA));
        assertThat(key.verify(frame, 3, DATA.length, key.mac(DATA))).isTrue();
    }

    @Test
    void keyIsCopiedFromTheCallersArray() {
        byte[] keyBytes = randomKeyBytes();
        SessionKey key = SessionKey.of(keyBytes);
        byte[] before = key.mac(DATA);

        keyBytes[0] ^= 1;

        assertThat(key.mac(DATA)).isEqualTo(before);
    }

    @Test
    void keyOfWrongLengthIsRejected() {
        assertThatThrownBy(() -> SessionKey.of(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, found 16");
    }

    @Test
    void toStringRevealsNothingAboutTheKey() {
        byte[] keyBytes = randomKeyBytes();

        assertThat(SessionKey.of(keyBytes).toString()).doesNotContain(HexFormat.of().formatHex(keyBytes));
    }

    private static byte[] randomKeyBytes() {
        byte[] key = new byte[SessionKey.KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }
}
