package io.pbft.transport;

import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delay: the base starts at the minimum and doubles per failure up to the
 * maximum; each delay is drawn in [3/4 base, base] (never below the minimum) so that peers
 * cut off together do not all come back in the same instant. Not thread-safe: its owner guards it.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private long baseMillis;

    Backoff(long minMillis, long maxMillis, RandomGenerator random) {
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 1 <= minMillis <= maxMillis, got " + minMillis + ".." + maxMillis);
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
        this.baseMillis = minMillis;
    }

    /** The delay before the next attempt; the one after it will be about twice as long. */
    long nextDelayMillis() {
        long base = baseMillis;
        baseMillis = base > maxMillis / 2 ? maxMillis : base * 2;
        long jitterMillis = base / 4 > 0 ? random.nextLong(base / 4 + 1) : 0;
        return Math.max(minMillis, base - jitterMillis);
    }

    /** After a successful connect the next failure starts again from the minimum. */
    void reset() {
        baseMillis = minMillis;
    }
}
