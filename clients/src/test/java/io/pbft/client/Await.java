package io.pbft.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: on a queue, a future, or a condition polled until a deadline. Never a fixed delay. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Await() {}

    static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
        T item = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no " + what + " within " + TIMEOUT);
        }
        return item;
    }

    static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What {@code future} failed with; an AssertionError if it completed normally or not at all. */
    static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("did not complete within " + TIMEOUT);
        }
    }

    static void until(BooleanSupplier condition, String what) {
        io.pbft.node.Await.until(condition, what);
    }
}
