package io.pbft.crypto;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Runs a randomized check many times from one seed, so that a failure can be replayed exactly:
 * the failure names the seed, the try, and a one-line command that reruns the test with it.
 */
final class RandomizedCheck {

    /** System property that fixes the seed, for replaying a failure. */
    static final String SEED_PROPERTY = "pbft.seed";

    /** One try of a check, fed by the run's random source. */
    interface Check {
        void run(Random random) throws Exception;
    }

    private RandomizedCheck() {
    }

    static void run(Class<?> testClass, String testMethod, int tries, Check check) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed != null ? Long.parseLong(fixed) : new SecureRandom().nextLong();
        Random random = new Random(seed);
        for (int attempt = 0; attempt < tries; attempt++) {
            try {
                check.run(random);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("failed at try " + attempt + " of " + tries + " with seed " + seed
                        + "; replay: mvn -B -pl crypto test -Dtest=" + testClass.getSimpleName() + "#" + testMethod
                        + " -D" + SEED_PROPERTY + "=" + seed, e);
            }
        }
    }

    /** Random bytes of a random length in [minBytes, maxBytes], favouring the bounds. */
    static byte[] bytes(Random random, int minBytes, int maxBytes) {
        int length = switch (random.nextInt(8)) {
            case 0 -> minBytes;
            case 1 -> maxBytes;
            default -> minBytes + random.nextInt(maxBytes - minBytes + 1);
        };
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A copy of {@code bytes} with bit {@code bit} flipped. */
    static byte[] flipBit(byte[] bytes, int bit) {
        byte[] flipped = bytes.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }
}
