package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;
import org.junit.jupiter.api.Test;

class EvidenceTest {

    private static <M extends ReplicaMessage> Signed<M> signed(M message, String envelope) {
        return new Signed<>(message, ByteString.copyFromUtf8(envelope));
    }

    private static ByteString digest(int b) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) b;
        return ByteString.copyFrom(bytes);
    }

    private static ProtocolEvent.Equivocation prePrepares(int sender, long sequence) {
        return new ProtocolEvent.Equivocation(sender, signed(new PrePrepare(0, sequence, digest(1), sender), "a"),
                signed(new PrePrepare(0, sequence, digest(2), sender), "b"));
    }

    @Test
    void theFirstProofOfAnEquivocationIsKeptWithBothSignedMessagesAndOnlyOnce() {
        Evidence evidence = new Evidence(4);

        assertThat(evidence.add(prePrepares(0, 5))).hasValueSatisfying(proof -> {
            assertThat(proof.describe()).isEqualTo("replica 0 signed two different PRE-PREPARE messages for view 0,"
                    + " sequence number 5");
            assertThat(proof.first().toStringUtf8()).isEqualTo("a");
            assertThat(proof.second().toStringUtf8()).isEqualTo("b");
        });
        assertThat(evidence.add(prePrepares(0, 5))).isEmpty(); // the same lie heard again
        assertThat(evidence.add(prePrepares(0, 6))).isPresent();
        assertThat(evidence.proofs()).hasSize(2);
        assertThat(evidence.found()).isEqualTo(2);
    }

    @Test
    void checkpointsAreNamedBySequenceNumberAlone() {
        Evidence evidence = new Evidence(4);
        ProtocolEvent.Equivocation checkpoints = new ProtocolEvent.Equivocation(3,
                signed(new Checkpoint(64, digest(1), 3), "x"), signed(new Checkpoint(64, digest(2), 3), "y"));

        assertThat(evidence.add(checkpoints)).hasValueSatisfying(proof -> assertThat(proof.describe())
                .isEqualTo("replica 3 signed two different CHECKPOINT messages for sequence number 64"));
    }

    @Test
    void aLiarCannotGrowTheStoreBeyondItsCapacity() {
        Evidence evidence = new Evidence(3);
        for (long sequence = 1; sequence <= 100; sequence++) {
            evidence.add(prePrepares(1, sequence));
        }

        assertThat(evidence.proofs()).hasSize(3).allSatisfy(proof -> assertThat(proof.sequence()).isLessThanOrEqualTo(3));
        assertThat(evidence.found()).isEqualTo(100);
    }
}
