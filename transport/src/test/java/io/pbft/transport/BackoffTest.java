package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long SEED = 20_240_601L;

    @Test
    void delaysDoubleFromTheMinimumUpToTheMaximumWithinTheJitterBand() {
        Backoff backoff = new Backoff(50, 2_000, new SplittableRandom(SEED));
        long base = 50;
        for (int attempt = 0; attempt < 20; attempt++) {
            long delay = backoff.nextDelayMillis();
            assertThat(delay).as("attempt %d, seed %d", attempt, SEED)
                    .isBetween(Math.max(50, base - base / 4), base);
            base = Math.min(2_000, base * 2);
        }
    }

    @Test
    void delayStaysAtTheMaximumOnceReached() {
        Backoff backoff = new Backoff(50, 400, new SplittableRandom(SEED));
        List<Long> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            delays.add(backoff.nextDelayMillis());
        }
        assertThat(delays.subList(4, 10)).allSatisfy(delay -> assertThat(delay).isBetween(300L, 400L));
    }

    @Test
    void resetStartsAgainFromTheMinimum() {
        Backoff backoff = new Backoff(100, 10_000, new SplittableRandom(SEED));
        for (int attempt = 0; attempt < 6; attempt++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isEqualTo(100L);
    }

    @Test
    void jitterSpreadsDelaysOfPeersThatFailedTogether() {
        List<Long> delays = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            Backoff backoff = new Backoff(1, 1_000, new SplittableRandom(seed));
            for (int attempt = 0; attempt < 10; attempt++) {
                backoff.nextDelayMillis();
            }
            delays.add(backoff.nextDelayMillis());
        }
        assertThat(delays).allSatisfy(delay -> assertThat(delay).isBetween(750L, 1_000L));
        assertThat(delays.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void rejectsMaximumBelowMinimum() {
        assertThatThrownBy(() -> new Backoff(10, 9, new SplittableRandom(SEED)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
