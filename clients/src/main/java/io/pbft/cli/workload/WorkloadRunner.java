package io.pbft.cli.workload;

import io.pbft.statemachine.kv.KvResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Runs a closed-loop workload: one thread per client, each with one operation outstanding at a
 * time, until the {@link Budget} is spent. Latency is measured from the call to the answer on
 * {@link System#nanoTime()}, the one monotonic clock the history's {@code call}/{@code ret} use.
 *
 * <p>It attaches no continuation to a target's futures, only waits on them in {@code get()} on the
 * client's own thread: that is what lets {@link ClusterKv} complete them on an I/O thread.
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

    private WorkloadRunner() {}

    public static WorkloadResult run(List<? extends KvTarget> targets, Budget budget, Settings settings)
            throws InterruptedException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one client");
        }
        CountDownLatch start = new CountDownLatch(1);
        List<ClientLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ClientLoop loop = new ClientLoop(targets.get(i),
                    new OpGenerator(settings.runId(), i, settings.seed(), settings.keyCount(), settings.mix()),
                    budget, settings, start);
            Thread thread = new Thread(loop, "workload-client-" + i);
            thread.setDaemon(true);
            loops.add(loop);
            threads.add(thread);
            thread.start();
        }
        long startNanos = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        return merge(loops, elapsedNanos);
    }

    private static WorkloadResult merge(List<ClientLoop> loops, long elapsedNanos) {
        Histogram latency = new Histogram(3);
        Map<OpKind, Long> perKind = new EnumMap<>(OpKind.class);
        List<HistoryEntry> history = new ArrayList<>();
        long ok = 0;
        long failed = 0;
        long unknown = 0;
        long swapped = 0;
        for (ClientLoop loop : loops) {
            if (loop.crash != null) {
                throw new IllegalStateException("workload client failed: " + loop.crash, loop.crash);
            }
            latency.add(loop.latency);
            loop.perKind.forEach((kind, n) -> perKind.merge(kind, n, Long::sum));
            history.addAll(loop.history);
            ok += loop.ok;
            failed += loop.failed;
            unknown += loop.unknown;
            swapped += loop.swapped;
        }
        return new WorkloadResult(loops.size(), ok, failed, unknown, perKind, swapped, latency, elapsedNanos,
                history);
    }

    /** One client's loop; its fields are read by the runner only after the thread ended. */
    private static final class ClientLoop implements Runnable {
        private final KvTarget target;
        private final OpGenerator generator;
        private final Budget budget;
        private final Settings settings;
        private final CountDownLatch start;
        private final Histogram latency = new Histogram(3);
        private final Map<OpKind, Long> perKind = new EnumMap<>(OpKind.class);
        private final List<HistoryEntry> history = new ArrayList<>();
        private long ok;
        private long failed;
        private long unknown;
        private long swapped;
        private RuntimeException crash;

        ClientLoop(KvTarget target, OpGenerator generator, Budget budget, Settings settings, CountDownLatch start) {
            this.target = target;
            this.generator = generator;
            this.budget = budget;
            this.settings = settings;
            this.start = start;
        }

        @Override
        public void run() {
            try {
                start.await();
                while (budget.tryTake()) {
                    record(execute(generator.next()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                crash = e;
            }
        }

        private HistoryEntry execute(PlannedOp op) throws InterruptedException {
            long callNanos = System.nanoTime();
            CompletableFuture<?> future = issue(op);
            Object answer;
            try {
                answer = future.get(settings.guardMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(false);
                return new HistoryEntry(target.clientId(), op, callNanos, HistoryEntry.NOT_RETURNED,
                        OpStatus.UNKNOWN, HistoryEntry.Output.NONE);
            } catch (ExecutionException | CancellationException e) {
                OpStatus status = target.classify(unwrap(e));
                long retNanos = status == OpStatus.UNKNOWN ? HistoryEntry.NOT_RETURNED : System.nanoTime();
                return new HistoryEntry(target.clientId(), op, callNanos, retNanos, status, HistoryEntry.Output.NONE);
            }
            long retNanos = System.nanoTime();
            return new HistoryEntry(target.clientId(), op, callNanos, retNanos, OpStatus.OK, learn(op, answer));
        }

        private CompletableFuture<?> issue(PlannedOp op) {
            try {
                return switch (op.kind()) {
                    case GET -> target.get(op.key());
                    case PUT -> target.put(op.key(), op.value());
                    case CAS -> target.cas(op.key(), op.expected(), op.value());
                    case DELETE -> target.delete(op.key());
                };
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        /** What the answer tells this client about its key, and the output a history records. */
        private HistoryEntry.Output learn(PlannedOp op, Object answer) {
            switch (op.kind()) {
                case GET -> {
                    @SuppressWarnings("unchecked")
                    Optional<String> value = (Optional<String>) answer;
                    generator.observe(op.key(), value);
                    return new HistoryEntry.Output.Read(value);
                }
                case PUT -> {
                    generator.observe(op.key(), Optional.of(op.value()));
                    return HistoryEntry.Output.NONE;
                }
                case CAS -> {
                    KvResult.CasOutcome outcome = (KvResult.CasOutcome) answer;
                    generator.observe(op.key(), outcome.current());
                    return new HistoryEntry.Output.Swapped(outcome.success());
                }
                default -> {
                    generator.observe(op.key(), Optional.empty());
                    return HistoryEntry.Output.NONE;
                }
            }
        }

        private void record(HistoryEntry entry) {
            switch (entry.status()) {
                case OK -> {
                    ok++;
                    perKind.merge(entry.op().kind(), 1L, Long::sum);
                    latency.recordValue(Math.max(0, entry.retNanos() - entry.callNanos()));
                    if (entry.output() instanceof HistoryEntry.Output.Swapped s && s.success()) {
                        swapped++;
                    }
                }
                case FAIL -> failed++;
                case UNKNOWN -> unknown++;
            }
            if (settings.keepHistory()) {
                history.add(entry);
            }
        }

        private static Throwable unwrap(Throwable failure) {
            Throwable cause = failure;
            while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
    }
}
