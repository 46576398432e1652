package io.pbft.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class ReplicaMessageTest {

    private static final ByteString DIGEST = ByteString.copyFrom(new byte[32]);

    @Test
    void theKindsThatMakeUpPreparedCertificatesAndCheckpointProofsMustBeSigned() {
        assertThat(new PrePrepare(0, 1, DIGEST, 0).entersCertificates()).isTrue();
        assertThat(new Prepare(0, 1, DIGEST, 1).entersCertificates()).isTrue();
        assertThat(new Checkpoint(64, DIGEST, 1).entersCertificates()).isTrue();
    }

    @Test
    void commitsAndStatusNeverLeaveTheirReceiverSoAMacIsEnough() {
        assertThat(new Commit(0, 1, DIGEST, 1).entersCertificates()).isFalse();
        assertThat(new Status(0, true, 1, 0, 1).entersCertificates()).isFalse();
    }
}
