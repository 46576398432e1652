package io.pbft.transport;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets one kind of log line through at most once per interval. For events a stranger can cause at
 * will (refused connections, failed accepts): logged each time, they would fill the disk (a flood
 * of failed accepts once logged 4.5 GB in minutes) and cost more than the event itself.
 *
 * <p>The first event is logged at once; the events of the rest of the interval are only counted,
 * and the next line logged reports how many there were. Thread-safe; meant for rare paths only.
 */
public final class LogRateLimit {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastPermitNanos;
    private boolean permittedBefore;
    private long suppressed;

    public LogRateLimit(long interval, TimeUnit unit) {
        this(unit.toNanos(interval), System::nanoTime);
    }

    LogRateLimit(long intervalNanos, LongSupplier nanoClock) {
        if (intervalNanos < 1) {
            throw new IllegalArgumentException("intervalNanos must be at least 1, got " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * Records one event. Returns -1 if it is not to be logged, or else how many events went unlogged
     * since the last one that was (for the caller to report in its line).
     */
    public synchronized long permit() {
        long now = nanoClock.getAsLong();
        if (permittedBefore && now - lastPermitNanos < intervalNanos) {
            suppressed++;
            return -1;
        }
        permittedBefore = true;
        lastPermitNanos = now;
        long unlogged = suppressed;
        suppressed = 0;
        return unlogged;
    }
}
