package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Randomized properties of digests; a failure names its seed and how to replay it. */
class DigestsProperties {

    @Test
    void digestOfPartsEqualsDigestOfConcatenation() {
        RandomizedCheck.run(getClass(), "digestOfPartsEqualsDigestOfConcatenation", 500, random -> {
            byte[][] parts = new byte[random.nextInt(7)][];
            ByteArrayOutputStream concatenation = new ByteArrayOutputStream();
            for (int i = 0; i < parts.length; i++) {
                parts[i] = RandomizedCheck.bytes(random, 0, 200);
                concatenation.writeBytes(parts[i]);
            }

            assertThat(Digests.sha256(parts)).isEqualTo(Digests.sha256(concatenation.toByteArray()));
        });
    }

    @Test
    void digestOfSliceEqualsDigestOfCopiedSlice() {
        RandomizedCheck.run(getClass(), "digestOfSliceEqualsDigestOfCopiedSlice", 500, random -> {
            byte[] buffer = RandomizedCheck.bytes(random, 0, 300);
            int offset = random.nextInt(buffer.length + 1);
            int length = random.nextInt(buffer.length - offset + 1);

            byte[] copy = Arrays.copyOfRange(buffer, offset, offset + length);
            assertThat(Digests.sha256(buffer, offset, length)).isEqualTo(Digests.sha256(copy));
        });
    }
}
