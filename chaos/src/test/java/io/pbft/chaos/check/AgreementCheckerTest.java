package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Request;
import org.junit.jupiter.api.Test;

class AgreementCheckerTest {

    private final Request a = request(100, 1);
    private final Request b = request(101, 1);

    @Test
    void replicasThatExecutedTheSameBatchesAgree() {
        RunHistory history = new Histories(4).sent(a, b).allExecute(1, a).allExecute(2, b).build();

        assertThat(new AgreementChecker().check(history)).isEmpty();
    }

    @Test
    void differentBatchesAtOneSequenceNumberAreAViolation() {
        RunHistory history = new Histories(4).sent(a, b)
                .executes(0, 1, a).executes(1, 1, a).executes(2, 1, b).executes(3, 1, a)
                .build();

        assertThat(new AgreementChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("Agreement"))
                .satisfies(v -> assertThat(v.message()).contains("sequence number 1", "replica 0", "replica 2"));
    }

    @Test
    void aReplicaThatExecutesASequenceNumberTwiceIsAViolation() {
        RunHistory history = new Histories(1).sent(a, b).executes(0, 1, a).executes(0, 1, a).build();

        assertThat(new AgreementChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("replica 0 executed sequence number 1 after 1"));
    }

    @Test
    void aFaultyReplicaIsNotHeldToAgreement() {
        RunHistory history = new Histories(4).sent(a, b)
                .executes(0, 1, a).executes(1, 1, a).executes(2, 1, a).executes(3, 1, b)
                .faulty(3)
                .build();

        assertThat(new AgreementChecker().check(history)).isEmpty();
    }

    @Test
    void aRestartedReplicaExecutingTheSameBatchesAgainFromItsSnapshotAgrees() {
        RunHistory history = new Histories(2).sent(a, b)
                .allExecute(1, a).allExecute(2, b)
                .restarts(1).executes(1, 2, b) // its snapshot was at 1
                .build();

        assertThat(new AgreementChecker().check(history)).isEmpty();
    }

    @Test
    void aRestartedReplicaExecutingAnotherBatchWhereItExecutedOneBeforeIsAViolation() {
        RunHistory history = new Histories(1).sent(a, b)
                .executes(0, 1, a)
                .restarts(0).executes(0, 1, b)
                .build();

        assertThat(new AgreementChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("sequence number 1", "replica 0", "after a restart"));
    }
}
