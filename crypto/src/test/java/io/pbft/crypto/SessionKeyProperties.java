package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Randomized properties of session MACs; a failure names its seed and how to replay it. */
class SessionKeyProperties {

    private static final int TRIES = 1000;

    @Test
    void everyMacVerifies() {
        RandomizedCheck.run(getClass(), "everyMacVerifies", TRIES, random -> {
            SessionKey key = randomKey(random);
            byte[] data = RandomizedCheck.bytes(random, 0, 1024);

            assertThat(key.verify(data, key.mac(data))).isTrue();
        });
    }

    @Test
    void anySingleBitFlipInTheDataIsRejected() {
        RandomizedCheck.run(getClass(), "anySingleBitFlipInTheDataIsRejected", TRIES, random -> {
            SessionKey key = randomKey(random);
            byte[] data = RandomizedCheck.bytes(random, 1, 512);
            byte[] altered = RandomizedCheck.flipBit(data, random.nextInt(data.length * 8));

            assertThat(key.verify(altered, key.mac(data))).isFalse();
        });
    }

    @Test
    void anySingleBitFlipInTheMacIsRejected() {
        RandomizedCheck.run(getClass(), "anySingleBitFlipInTheMacIsRejected", TRIES, random -> {
            SessionKey key = randomKey(random);
            byte[] data = RandomizedCheck.bytes(random, 0, 512);
            byte[] mac = RandomizedCheck.flipBit(key.mac(data), random.nextInt(SessionKey.MAC_BYTES * 8));

            assertThat(key.verify(data, mac)).isFalse();
        });
    }

    @Test
    void arbitraryBytesVerifyOnlyWhenTheyAreTheRealMac() {
        RandomizedCheck.run(getClass(), "arbitraryBytesVerifyOnlyWhenTheyAreTheRealMac", TRIES, random -> {
            SessionKey key = randomKey(random);
            byte[] data = RandomizedCheck.bytes(random, 0, 64);
            byte[] mac = RandomizedCheck.bytes(random, 0, 40);

            assertThat(key.verify(data, mac)).isEqualTo(Arrays.equals(key.mac(data), mac));
        });
    }

    private static SessionKey randomKey(Random random) {
        byte[] key = new byte[SessionKey.KEY_BYTES];
        random.nextBytes(key);
        return SessionKey.of(key);
    }
}
