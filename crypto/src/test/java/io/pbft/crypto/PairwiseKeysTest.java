package io.pbft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PairwiseKeysTest {

    private static final byte[] MESSAGE = "commit v=0 n=7".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random = new SecureRandom();
    private final SigningKey alice = SigningKey.generate(random);
    private final SigningKey bob = SigningKey.generate(random);
    private final SigningKey carol = SigningKey.generate(random);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theMappedEdwardsKeyIsTheX25519KeyOfTheSameScalar(long seed) {
        // X25519 base-point multiplication by the derived scalar is an independent route to the
        // Montgomery public key: if the birational map were wrong, the two would differ.
        SigningKey key = SigningKey.generate(seeded(seed));
        byte[] viaScalar = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(PairwiseKeys.montgomeryScalar(key), 0, viaScalar, 0);

        assertThat(PairwiseKeys.montgomeryPublicKey(key.publicKey())).isEqualTo(viaScalar);
    }

    @Test
    void whatOneSideMacsTheOtherVerifies() {
        PairwiseKeys atAlice = PairwiseKeys.derive(alice, 0, bob.publicKey(), 1);
        PairwiseKeys atBob = PairwiseKeys.derive(bob, 1, alice.publicKey(), 0);

        assertThat(atBob.inbound().verify(MESSAGE, atAlice.outbound().mac(MESSAGE))).isTrue();
        assertThat(atAlice.inbound().verify(MESSAGE, atBob.outbound().mac(MESSAGE))).isTrue();
    }

    @Test
    void aMacIsBoundToItsDirectionAndToItsPair() {
        PairwiseKeys aliceToBob = PairwiseKeys.derive(alice, 0, bob.publicKey(), 1);
        PairwiseKeys carolAtBob = PairwiseKeys.derive(bob, 1, carol.publicKey(), 2);
        PairwiseKeys aliceAtCarol = PairwiseKeys.derive(carol, 2, alice.publicKey(), 0);
        byte[] mac = aliceToBob.outbound().mac(MESSAGE);

        assertThat(aliceToBob.inbound().verify(MESSAGE, mac)).as("reflected back to its sender").isFalse();
        assertThat(aliceAtCarol.inbound().verify(MESSAGE, mac)).as("replayed to a third replica").isFalse();
        assertThat(carolAtBob.inbound().verify(MESSAGE, mac)).as("claimed by another sender").isFalse();
    }

    @Test
    void theIdsArePartOfTheKey() {
        byte[] mac = PairwiseKeys.derive(alice, 0, bob.publicKey(), 1).outbound().mac(MESSAGE);

        assertThat(PairwiseKeys.derive(bob, 2, alice.publicKey(), 0).inbound().verify(MESSAGE, mac)).isFalse();
    }

    @Test
    void derivingTwiceGivesTheSameKeys() {
        byte[] mac = PairwiseKeys.derive(alice, 0, bob.publicKey(), 1).outbound().mac(MESSAGE);

        assertThat(PairwiseKeys.derive(alice, 0, bob.publicKey(), 1).outbound().mac(MESSAGE)).isEqualTo(mac);
    }

    @Test
    void refusesEqualOrNegativeIds() {
        assertThatThrownBy(() -> PairwiseKeys.derive(alice, 1, bob.publicKey(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> PairwiseKeys.derive(alice, -1, bob.publicKey(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> PairwiseKeys.derive(alice, 0, new byte[31], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void refusesTheIdentityPoint() {
        byte[] identity = new byte[SigningKey.PUBLIC_KEY_BYTES];
        identity[0] = 1; // y = 1, little-endian: its u would be a division by zero

        assertThatThrownBy(() -> PairwiseKeys.derive(alice, 0, identity, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a usable");
    }

    @Test
    void refusesASmallOrderPoint() {
        byte[] zeroY = new byte[SigningKey.PUBLIC_KEY_BYTES]; // y = 0 maps to u = 1, of order 2 or less

        assertThatThrownBy(() -> PairwiseKeys.derive(alice, 0, zeroY, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("small-order");
    }

    @Test
    void saysNothingAboutTheKeys() {
        assertThat(PairwiseKeys.derive(alice, 0, bob.publicKey(), 1).toString()).isEqualTo("PairwiseKeys[hidden]");
    }

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom deterministic = SecureRandom.getInstance("SHA1PRNG");
            deterministic.setSeed(seed);
            return deterministic;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
