package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitLatencyTest {

    private final List<Long> recorded = new ArrayList<>();
    private final CommitLatency latency = new CommitLatency(new Metrics.LatencyRecorder() {
        @Override
        public void recordNanos(long nanos) {
            recorded.add(nanos);
        }

        @Override
        public void remove() {
        }
    });

    @Test
    void aRequestIsTimedFromItsFirstArrivalToItsReplyOnce() {
        latency.arrived(7, 1, 100);
        latency.arrived(7, 1, 250); // a retransmission: the clock keeps running from the first arrival
        latency.replied(7, 1, 1_100);
        latency.replied(7, 1, 1_200); // the cached reply sent again: already timed

        assertThat(recorded).containsExactly(1_000L);
        assertThat(latency.samples()).isEqualTo(1);
    }

    @Test
    void requestsOfOneClientInFlightTogetherAreTimedEachOnItsOwn() {
        latency.arrived(7, 1, 100);
        latency.arrived(7, 2, 150);
        latency.arrived(8, 1, 160);
        latency.replied(7, 2, 400);
        latency.replied(8, 1, 460);
        latency.replied(7, 1, 600);

        assertThat(recorded).containsExactly(250L, 300L, 500L);
    }

    @Test
    void aReplyWithoutAnArrivalHereIsNotTimed() {
        latency.replied(9, 1, 1_000); // the request reached this backup only inside a pre-prepare

        assertThat(recorded).isEmpty();
    }

    @Test
    void arrivalsThatNeverGetAReplyArePushedOutByNewerOnesInsteadOfPilingUp() {
        for (int timestamp = 1; timestamp <= CommitLatency.MAX_PENDING + 10; timestamp++) {
            latency.arrived(1, timestamp, timestamp);
        }
        latency.replied(1, 1, 1_000_000); // among the oldest ten: pushed out
        latency.replied(1, CommitLatency.MAX_PENDING + 10, CommitLatency.MAX_PENDING + 20);

        assertThat(recorded).containsExactly(10L);
    }
}
