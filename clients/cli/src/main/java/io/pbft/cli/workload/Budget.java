package io.pbft.cli.workload;

import java.util.concurrent.atomic.AtomicLong;

/** When a workload stops: after a number of operations across all clients, or at a deadline. */
public interface Budget {

    /** Takes the right to issue one more operation; false once the budget is spent. Thread-safe. */
    boolean tryTake();

    /** Exactly {@code totalOps} operations, shared by all clients. */
    static Budget ops(long totalOps) {
        AtomicLong remaining = new AtomicLong(totalOps);
        return () -> remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Operations until {@link System#nanoTime()} reaches {@code deadlineNanos}. */
    static Budget until(long deadlineNanos) {
        return () -> System.nanoTime() - deadlineNanos < 0;
    }
}
