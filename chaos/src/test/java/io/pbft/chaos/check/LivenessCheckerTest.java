package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.bytes;
import static io.pbft.chaos.check.Histories.pending;
import static io.pbft.chaos.check.Histories.request;
import static io.pbft.chaos.check.Histories.returned;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Request;
import org.junit.jupiter.api.Test;

class LivenessCheckerTest {

    private final Request first = request(100, 1);
    private final Request second = request(100, 2);

    @Test
    void aClientThatFinishedEverythingBeforeTheDeadlineIsLive() {
        RunHistory history = new Histories(1)
                .client(100, 2, returned(first, 0, 10, bytes("r1")), returned(second, 12, 30, bytes("r2")))
                .build();

        assertThat(new LivenessChecker().check(history)).isEmpty();
    }

    @Test
    void aClientStuckOnARequestIsAViolationNamingTheRequest() {
        RunHistory history = new Histories(1)
                .client(100, 3, returned(first, 0, 10, bytes("r1")), pending(second, 12))
                .ended(10_000, 10_000)
                .build();

        assertThat(new LivenessChecker().check(history))
                .singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("Liveness"))
                .satisfies(v -> assertThat(v.message())
                        .contains("client 100 completed 1 of 3 requests", "(c100, t2)", "not returned",
                                "replicas executed up to [0]"));
    }

    @Test
    void aResultAcceptedAfterTheDeadlineIsAViolation() {
        RunHistory history = new Histories(1)
                .client(100, 1, returned(first, 0, 20_000, bytes("r1")))
                .ended(20_000, 10_000)
                .build();

        assertThat(new LivenessChecker().check(history)).hasSize(1);
    }
}
