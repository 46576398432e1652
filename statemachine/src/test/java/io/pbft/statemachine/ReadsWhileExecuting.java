package io.pbft.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Reads on another thread while the test thread executes, as a replica serves a checkpoint to a
 * fetcher while it executes on: for tests that a checkpoint read concurrently still shows its
 * own state. No timing: the test thread steps for as long as the reads run, up to a bound.
 */
public final class ReadsWhileExecuting {

    private ReadsWhileExecuting() {}

    /**
     * Runs {@code read} {@code rounds} times on another thread while calling {@code step} with 0,
     * 1, 2, ... on this one until the reads end (or {@code maxSteps}, if they never do).
     *
     * @return what each round read, in order
     */
    public static <T> List<T> read(int rounds, Callable<T> read, int maxSteps, IntConsumer step)
            throws InterruptedException, ExecutionException, TimeoutException {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<List<T>> reads = reader.submit(() -> {
                List<T> results = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    results.add(read.call());
                }
                return results;
            });
            for (int i = 0; i < maxSteps && !reads.isDone(); i++) {
                step.accept(i);
            }
            return reads.get(1, TimeUnit.MINUTES);
        } finally {
            reader.shutdownNow();
        }
    }
}
