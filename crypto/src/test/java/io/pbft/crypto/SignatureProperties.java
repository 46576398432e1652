package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Randomized properties of Ed25519 signing and verifying; a failure names its seed and how to replay it. */
class SignatureProperties {

    private static final int TRIES = 300;
    private static final SigningKey KEY = SigningKey.generate(new SecureRandom());
    private static final byte[] PUBLIC_KEY = KEY.publicKey();

    @Test
    void everySignatureVerifies() {
        RandomizedCheck.run(getClass(), "everySignatureVerifies", TRIES, random -> {
            byte[] message = RandomizedCheck.bytes(random, 0, 1024);

            assertThat(SignatureVerifier.verify(PUBLIC_KEY, message, KEY.sign(message))).isTrue();
        });
    }

    @Test
    void anySingleBitFlipInTheMessageIsRejected() {
        RandomizedCheck.run(getClass(), "anySingleBitFlipInTheMessageIsRejected", TRIES, random -> {
            byte[] message = RandomizedCheck.bytes(random, 1, 512);
            byte[] altered = RandomizedCheck.flipBit(message, random.nextInt(message.length * 8));

            assertThat(SignatureVerifier.verify(PUBLIC_KEY, altered, KEY.sign(message))).isFalse();
        });
    }

    @Test
    void anySingleBitFlipInTheSignatureIsRejected() {
        RandomizedCheck.run(getClass(), "anySingleBitFlipInTheSignatureIsRejected", TRIES, random -> {
            byte[] message = RandomizedCheck.bytes(random, 0, 512);
            byte[] signature = RandomizedCheck.flipBit(KEY.sign(message), random.nextInt(SigningKey.SIGNATURE_BYTES * 8));

            assertThat(SignatureVerifier.verify(PUBLIC_KEY, message, signature)).isFalse();
        });
    }

    @Test
    void anySingleBitFlipInThePublicKeyIsRejected() {
        RandomizedCheck.run(getClass(), "anySingleBitFlipInThePublicKeyIsRejected", TRIES, random -> {
            byte[] message = RandomizedCheck.bytes(random, 0, 512);
            byte[] publicKey = RandomizedCheck.flipBit(PUBLIC_KEY, random.nextInt(SigningKey.PUBLIC_KEY_BYTES * 8));

            assertThat(SignatureVerifier.verify(publicKey, message, KEY.sign(message))).isFalse();
        });
    }

    @Test
    void arbitraryBytesNeverThrowAndNeverVerify() {
        RandomizedCheck.run(getClass(), "arbitraryBytesNeverThrowAndNeverVerify", TRIES, random -> {
            byte[] publicKey = RandomizedCheck.bytes(random, 30, 34);
            byte[] message = RandomizedCheck.bytes(random, 0, 70);
            byte[] signature = RandomizedCheck.bytes(random, 62, 66);

            assertThat(SignatureVerifier.verifyWithoutCaching(publicKey, message, signature)).isFalse();
        });
    }
}
