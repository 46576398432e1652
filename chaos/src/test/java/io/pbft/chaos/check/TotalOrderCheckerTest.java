package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Request;
import org.junit.jupiter.api.Test;

class TotalOrderCheckerTest {

    private final Request a = request(100, 1);
    private final Request b = request(101, 1);
    private final Request c = request(102, 1);

    @Test
    void aReplicaThatIsBehindExecutedAPrefix() {
        RunHistory history = new Histories(4).sent(a, b, c)
                .allExecute(1, a)
                .executes(0, 2, b).executes(1, 2, b).executes(2, 2, b)
                .executes(0, 3, c)
                .build();

        assertThat(new TotalOrderChecker().check(history)).isEmpty();
    }

    @Test
    void theSameRequestsInAnotherOrderAreAViolation() {
        // Batches split differently, so agreement on digests per sequence number cannot see it.
        RunHistory history = new Histories(2).sent(a, b, c)
                .executes(0, 1, a, b).executes(0, 2, c)
                .executes(1, 1, b, a)
                .build();

        assertThat(new TotalOrderChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("TotalOrder"))
                .satisfies(v -> assertThat(v.message()).contains("replica 1 executed [(c101, t1), (c100, t1)] at sequence number 1"));
    }

    @Test
    void aReplicaThatInstalledACheckpointAgreesOnWhatItExecutedAfterIt() {
        RunHistory history = new Histories(4).sent(a, b, c)
                .allExecute(1, a).allExecute(2, b).allExecute(3, c)
                .build();
        RunHistory skipped = new Histories(2).sent(a, b, c)
                .executes(0, 1, a).executes(0, 2, b).executes(0, 3, c)
                .executes(1, 3, c) // installed the state of 2, then executed 3
                .build();
        RunHistory wrong = new Histories(2).sent(a, b, c)
                .executes(0, 1, a).executes(0, 2, b).executes(0, 3, c)
                .executes(1, 3, b)
                .build();

        assertThat(new TotalOrderChecker().check(history)).isEmpty();
        assertThat(new TotalOrderChecker().check(skipped)).isEmpty();
        assertThat(new TotalOrderChecker().check(wrong)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("at sequence number 3"));
    }

    @Test
    void replicasThatEachSkippedSomeSequenceNumbersAreStillHeldToOneOrder() {
        // No replica executed every sequence number from 1, so none can serve as the reference alone.
        RunHistory history = new Histories(2).sent(a, b, c)
                .executes(0, 1, a).executes(0, 3, c)
                .executes(1, 2, b).executes(1, 3, b)
                .build();

        assertThat(new TotalOrderChecker().check(history)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("replica 1 executed [(c101, t1)] at sequence number 3"));
    }

    @Test
    void aRestartedReplicaStartsItsOrderOverFromItsSnapshot() {
        RunHistory history = new Histories(2).sent(a, b, c)
                .allExecute(1, a).allExecute(2, b).allExecute(3, c)
                .restarts(1).executes(1, 2, b).executes(1, 3, c)
                .build();
        RunHistory reordered = new Histories(2).sent(a, b, c)
                .allExecute(1, a).allExecute(2, b)
                .restarts(1).executes(1, 2, b).executes(1, 2, b)
                .build();

        assertThat(new TotalOrderChecker().check(history)).isEmpty();
        assertThat(new TotalOrderChecker().check(reordered))
                .singleElement()
                .satisfies(v -> assertThat(v.message()).contains("replica 1 executed sequence number 2 after 2"));
    }
}
