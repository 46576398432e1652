package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckpointAgreementCheckerTest {

    @Test
    void equalDigestsAtEachCheckpointAgree() {
        RunHistory history = new Histories(3)
                .checkpoint(0, 8, bytes("s8")).checkpoint(1, 8, bytes("s8")).checkpoint(2, 8, bytes("s8"))
                .checkpoint(0, 16, bytes("s16"))
                .build();

        assertThat(new CheckpointAgreementChecker().check(history)).isEmpty();
    }

    @Test
    void aDifferentStateDigestAtTheSameCheckpointIsAViolation() {
        RunHistory history = new Histories(3)
                .checkpoint(0, 8, bytes("s8")).checkpoint(1, 8, bytes("s8")).checkpoint(2, 8, bytes("other"))
                .build();

        assertThat(new CheckpointAgreementChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("CheckpointAgreement"))
                .satisfies(v -> assertThat(v.message()).contains("after sequence number 8", "replica 0", "replica 2"));
    }

    @Test
    void aRestartedReplicaReachingACheckpointAgainWithAnotherDigestIsAViolation() {
        RunHistory history = new Histories(1)
                .checkpoint(0, 8, bytes("s8"))
                .restarts(0).checkpoint(0, 8, bytes("s8")).checkpoint(0, 16, bytes("s16"))
                .restarts(0).checkpoint(0, 16, bytes("lost a write"))
                .build();

        assertThat(new CheckpointAgreementChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("after sequence number 16", "after a restart"));
    }
}
