package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void signsTheRfc8032FirstTestVector() {
        // RFC 8032 section 7.1, TEST 1: the empty message.
        SigningKey key = SigningKey.fromPrivateKeyBytes(
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        assertThat(HEX.formatHex(key.publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(HEX.formatHex(key.sign(new byte[0]))).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void generatedKeyHasThirtyTwoByteKeysAndSixtyFourByteSignatures() {
        SigningKey key = SigningKey.generate(new SecureRandom());

        assertThat(key.publicKey()).hasSize(32);
        assertThat(key.privateKeyBytes()).hasSize(32);
        assertThat(key.sign(new byte[] {1, 2, 3})).hasSize(64);
    }

    @Test
    void keyRebuiltFromItsPrivateBytesIsTheSameKey() {
        SigningKey key = SigningKey.generate(new SecureRandom());

        SigningKey rebuilt = SigningKey.fromPrivateKeyBytes(key.privateKeyBytes());

        assertThat(rebuilt).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(rebuilt.publicKey()).isEqualTo(key.publicKey());
        assertThat(rebuilt.sign(new byte[] {7})).isEqualTo(key.sign(new byte[] {7}));
    }

    @Test
    void differentKeysAreNotEqual() {
        SecureRandom random = new SecureRandom();

        assertThat(SigningKey.generate(random)).isNotEqualTo(SigningKey.generate(random));
    }

    @Test
    void signingIsDeterministic() {
        SigningKey key = SigningKey.generate(new SecureRandom());
        byte[] message = "commit v=0 n=5".getBytes(StandardCharsets.US_ASCII);

        assertThat(key.sign(message)).isEqualTo(key.sign(message));
    }

    @Test
    void signatureOfSliceEqualsSignatureOfTheCopiedSlice() {
        SigningKey key = SigningKey.generate(new SecureRandom());
        byte[] frame = "##prepare v=1 n=9##".getBytes(StandardCharsets.US_ASCII);

        byte[] ofSlice = key.sign(frame, 2, frame.length - 4);

        assertThat(ofSlice).isEqualTo(key.sign("prepare v=1 n=9".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void returnedKeyBytesAreCopies() {
        SigningKey key = SigningKey.generate(new SecureRandom());
        byte[] publicKey = key.publicKey();
        byte[] privateKey = key.privateKeyBytes();

        key.publicKey()[0] ^= 1;
        key.privateKeyBytes()[0] ^= 1;

        assertThat(key.publicKey()).isEqualTo(publicKey);
        assertThat(key.privateKeyBytes()).isEqualTo(privateKey);
    }

    @Test
    void keyDoesNotShareTheCallersPrivateKeyArray() {
        byte[] privateKey = SigningKey.generate(new SecureRandom()).privateKeyBytes();
        SigningKey key = SigningKey.fromPrivateKeyBytes(privateKey);
        byte[] before = key.sign(new byte[] {1});

        privateKey[0] ^= 1;

        assertThat(key.sign(new byte[] {1})).isEqualTo(before);
    }

    @Test
    void privateKeyOfWrongLengthIsRejected() {
        assertThatThrownBy(() -> SigningKey.fromPrivateKeyBytes(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, found 31");
    }

    @Test
    void toStringShowsThePublicKeyAndNeverThePrivateKey() {
        SigningKey key = SigningKey.generate(new SecureRandom());

        assertThat(key.toString())
                .contains(HEX.formatHex(key.publicKey()))
                .doesNotContain(HEX.formatHex(key.privateKeyBytes()));
    }
}
