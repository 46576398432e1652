package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DigestsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sha256OfAbcMatchesTheFips180Example() {
        byte[] digest = Digests.sha256("abc".getBytes(StandardCharsets.US_ASCII));

        assertThat(HEX.formatHex(digest))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sha256OfNothingIsTheKnownEmptyDigest() {
        assertThat(HEX.formatHex(Digests.sha256(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Digests.sha256(new byte[0][])).isEqualTo(Digests.sha256(new byte[0]));
    }

    @Test
    void digestIsThirtyTwoBytes() {
        assertThat(Digests.sha256(new byte[100])).hasSize(Digests.SHA256_BYTES).hasSize(32);
    }

    @Test
    void digestOfPartsEqualsDigestOfTheirConcatenation() {
        byte[] whole = "pre-prepare|view 3|seq 17".getBytes(StandardCharsets.US_ASCII);

        byte[] ofParts = Digests.sha256(
                "pre-prepare|".getBytes(StandardCharsets.US_ASCII),
                new byte[0],
                "view 3|".getBytes(StandardCharsets.US_ASCII),
                "seq 17".getBytes(StandardCharsets.US_ASCII));

        assertThat(ofParts).isEqualTo(Digests.sha256(whole));
    }

    @Test
    void digestOfSliceEqualsDigestOfTheCopiedSlice() {
        byte[] buffer = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);

        assertThat(Digests.sha256(buffer, 2, 5)).isEqualTo(Digests.sha256("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void sliceOutsideTheArrayIsRejected() {
        assertThatThrownBy(() -> Digests.sha256(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void failedCallDoesNotLeakIntoTheNextDigestOnTheSameThread() {
        byte[] expected = Digests.sha256(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> Digests.sha256(new byte[] {9, 9}, null)).isInstanceOf(NullPointerException.class);

        assertThat(Digests.sha256(new byte[] {1, 2, 3})).isEqualTo(expected);
        assertThat(Digests.sha256(new byte[] {1, 2, 3}, 0, 3)).isEqualTo(expected);
    }
}
