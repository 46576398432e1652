package io.pbft.node;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A bounded wait on a condition no callback signals (a counter). Never a fixed delay. */
public final class Await {

    /**
     * A guard against a hang, not a speed limit: live tests run several JVMs on what may be two
     * shared cores, where a workload that takes 5 s alone took more than 20. Longer with
     * {@code -Dpbft.test.awaitSeconds}.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("pbft.test.awaitSeconds", 60));
    private static final Duration POLL = Duration.ofMillis(2);

    private Await() {}

    public static void until(BooleanSupplier condition, String what) {
        until(condition, POLL, () -> what);
    }

    /**
     * As {@link #until(BooleanSupplier, String)}, for a condition that costs something to evaluate
     * (a query to other processes): evaluated every {@code poll}, not in a tight loop; the failure
     * message is built only on failure, so it can tell the state of things then (a process's log).
     */
    public static void until(BooleanSupplier condition, Duration poll, Supplier<String> what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long pollNanos = poll.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not true within " + TIMEOUT + ": " + what.get());
            }
            LockSupport.parkNanos(pollNanos);
        }
    }
}
