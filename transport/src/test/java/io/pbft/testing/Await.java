package io.pbft.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for every module's tests: on a queue, a future, or a condition no callback signals
 * (a counter), polled until a deadline. Never a fixed delay. The one copy, shared as the transport
 * module's test-jar.
 */
public final class Await {

    /**
     * A guard against a hang, not a speed limit: live tests run several JVMs on what may be two
     * shared cores, where a workload that takes 5 s alone took more than 20. Longer with
     * {@code -Dpbft.test.awaitSeconds}.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("pbft.test.awaitSeconds", 60));
    private static final Duration POLL = Duration.ofMillis(1);

    private Await() {}

    public static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
        T item = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no " + what + " within " + TIMEOUT);
        }
        return item;
    }

    public static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What {@code future} failed with; an AssertionError if it completed normally or not at all. */
    public static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("did not complete within " + TIMEOUT);
        }
    }

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
