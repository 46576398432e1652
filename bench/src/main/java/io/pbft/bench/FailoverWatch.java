package io.pbft.bench;

import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.OpStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells the failover benchmark, while its workload runs, when the first operation called after t0
 * has been answered, so that a round can end a few seconds later instead of at a fixed deadline.
 * It sees each operation as it settles ({@code WorkloadRunner.run}'s listener), with the times the
 * history records, and applies the rule of {@link FailoverRound#failoverNanos}; the figure itself
 * comes from the history. It runs on a transport I/O thread and never blocks.
 */
final class FailoverWatch implements Consumer<HistoryEntry> {

    private final CountDownLatch answeredAfterT0 = new CountDownLatch(1);
    /** Written once, before {@link #armed}; read only after {@link #armed} is seen true. */
    private long t0Nanos;
    private volatile boolean armed;

    /** From now on, an answer to an operation called after {@code t0Nanos} counts. */
    void arm(long t0Nanos) {
        this.t0Nanos = t0Nanos;
        this.armed = true;
    }

    /** Waits until an operation called after t0 was answered; false if {@code timeout} passed first. */
    boolean await(Duration timeout) throws InterruptedException {
        return answeredAfterT0.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void accept(HistoryEntry entry) {
        if (armed && entry.status() == OpStatus.OK && FailoverRound.calledAfter(t0Nanos, entry.callNanos())) {
            answeredAfterT0.countDown();
        }
    }
}
