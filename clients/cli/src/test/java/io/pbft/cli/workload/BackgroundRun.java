package io.pbft.cli.workload;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A workload run on a thread of its own, waited for a bounded time: a test whose failure would be
 * a run that never ends fails instead.
 */
final class BackgroundRun {

    static final long HANG_MILLIS = 30_000;

    private final FutureTask<WorkloadResult> task;
    private final Thread thread;

    private BackgroundRun(Callable<WorkloadResult> run) {
        this.task = new FutureTask<>(run);
        this.thread = new Thread(task, "background-run");
        thread.setDaemon(true);
    }

    static BackgroundRun start(Callable<WorkloadResult> run) {
        BackgroundRun background = new BackgroundRun(run);
        background.thread.start();
        return background;
    }

    boolean isDone() {
        return task.isDone();
    }

    void interrupt() {
        thread.interrupt();
    }

    /** The run's result, or what it threw. */
    WorkloadResult result() throws Exception {
        try {
            return task.get(HANG_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError("the run did not end within " + HANG_MILLIS + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }
}
