package io.pbft.client;

import io.pbft.transport.IoThread;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The transport I/O thread a client's {@link Dispatcher} is confined to. Work that is already on
 * it (replies and session events from connections served by the same I/O thread, the dispatcher's
 * timers, continuations completed there) runs inline; work from any other thread is queued to it.
 * Every hand-off wakes a thread, and on a machine whose cores the replicas share, those wake-ups
 * were most of what a call cost the client.
 */
final class DispatchLoop {

    private final IoThread thread;
    private final ScheduledExecutorService executor;

    DispatchLoop(IoThread thread) {
        this.thread = thread;
        this.executor = thread.executor();
    }

    boolean inLoop() {
        return thread.isCurrent();
    }

    /** Runs {@code task} on the loop, inline if called there; false if the loop has stopped. */
    boolean run(Runnable task) {
        if (inLoop()) {
            task.run();
            return true;
        }
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code task} on the loop and waits for it, at most {@code timeoutMillis}. If the loop
     * has stopped (a shared transport closed before its clients), waits for it to terminate and
     * runs {@code task} on the calling thread: no other thread can touch the loop's state any more.
     */
    void runAndWait(Runnable task, long timeoutMillis)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (inLoop()) {
            task.run();
            return;
        }
        FutureTask<Void> waited = new FutureTask<>(task, null);
        try {
            executor.execute(waited);
        } catch (RejectedExecutionException e) {
            if (!executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("the I/O thread did not stop within " + timeoutMillis + " ms");
            }
            task.run();
            return;
        }
        waited.get(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
