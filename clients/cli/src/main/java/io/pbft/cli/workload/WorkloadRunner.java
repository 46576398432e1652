package io.pbft.cli.workload;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs a closed-loop workload: each client has one operation outstanding at a time, until the
 * {@link Budget} is spent. Latency is measured from the call to the answer on
 * {@link System#nanoTime()}, the one monotonic clock the history's {@code call}/{@code ret} use.
 *
 * <p>No thread per client: a client issues its next operation from the completion of the previous
 * one ({@link ClientLoop}), on the thread that completed it. With {@link ClusterKv} that is the
 * transport's I/O thread, which sends the next request inline: a blocking thread per client cost
 * two thread wake-ups per operation, a large part of the client's CPU on a machine whose cores
 * the replicas share. The caller's thread only waits, and gives up on operations that never
 * complete. The history stays in memory; the caller writes it after the run, on its own thread.
 */
public final class WorkloadRunner {

    /**
     * @param runId makes the values of this run unique (see {@link OpGenerator})
     * @param opTimeoutMillis how long the client itself waits for an answer; the runner gives up on
     *     an operation (outcome unknown) only if the client has not completed it well after that
     * @param keepHistory whether to keep every operation for a history file
     */
    public record Settings(String runId, long seed, int keyCount, OpMix mix, long opTimeoutMillis,
            boolean keepHistory) {
        public Settings {
            if (keyCount < 1) {
                throw new IllegalArgumentException("keyCount must be at least 1, was " + keyCount);
            }
            if (opTimeoutMillis < 1) {
                throw new IllegalArgumentException("opTimeoutMillis must be at least 1, was " + opTimeoutMillis);
            }
        }

        /** The runner's own bound on one operation: the client's timeout, doubled, plus a second. */
        long guardMillis() {
            return 2 * opTimeoutMillis + 1_000;
        }
    }

    /** How often the runner looks for operations outstanding past the guard; it gives up at most this late. */
    private static final long SWEEP_MILLIS = 100;

    private WorkloadRunner() {}

    /**
     * Runs {@code targets} until {@code budget} is spent and every operation issued has settled:
     * answered, failed, or given up on (twice the client's timeout plus a second). The calling thread
     * issues each client's first operation, then only waits and guards; completions issue the rest.
     *
     * @throws InterruptedException if interrupted while waiting; the clients then issue no more
     */
    public static WorkloadResult run(List<? extends KvTarget> targets, Budget budget, Settings settings)
            throws InterruptedException {
        return run(targets, budget, settings, entry -> { });
    }

    /**
     * As {@link #run(List, Budget, Settings)}, and hands every operation to {@code onSettled} as it
     * settles, with the call and return times the history records (whether or not the history is
     * kept). It runs on the thread that settled the operation, a transport I/O thread or the
     * runner's own, so it must return at once: never block, never write a file.
     */
    public static WorkloadResult run(List<? extends KvTarget> targets, Budget budget, Settings settings,
            Consumer<HistoryEntry> onSettled) throws InterruptedException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one client");
        }
        CountDownLatch finished = new CountDownLatch(targets.size());
        List<ClientLoop> clients = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            clients.add(new ClientLoop(targets.get(i),
                    new OpGenerator(settings.runId(), i, settings.seed(), settings.keyCount(), settings.mix()),
                    budget, settings, onSettled, finished));
        }
        long startNanos = System.nanoTime();
        clients.forEach(ClientLoop::start);
        try {
            while (!finished.await(SWEEP_MILLIS, TimeUnit.MILLISECONDS)) {
                long nowNanos = System.nanoTime();
                clients.forEach(client -> client.guard(nowNanos));
            }
        } catch (InterruptedException e) {
            clients.forEach(ClientLoop::stop);
            throw e;
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        return merge(clients, elapsedNanos);
    }

    private static WorkloadResult merge(List<ClientLoop> clients, long elapsedNanos) {
        Histogram latency = new Histogram(3);
        Map<OpKind, Long> perKind = new EnumMap<>(OpKind.class);
        List<HistoryEntry> history = new ArrayList<>();
        long ok = 0;
        long failed = 0;
        long unknown = 0;
        long swapped = 0;
        for (ClientLoop client : clients) {
            if (client.crash != null) {
                throw new IllegalStateException("workload client failed: " + client.crash, client.crash);
            }
            latency.add(client.latency);
            client.perKind.forEach((kind, n) -> perKind.merge(kind, n, Long::sum));
            history.addAll(client.history);
            ok += client.ok;
            failed += client.failed;
            unknown += client.unknown;
            swapped += client.swapped;
        }
        return new WorkloadResult(clients.size(), ok, failed, unknown, perKind, swapped, latency, elapsedNanos,
                history);
    }
}
