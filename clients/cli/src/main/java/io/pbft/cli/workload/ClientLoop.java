package io.pbft.cli.workload;

import io.pbft.statemachine.kv.KvResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop workload client without a thread of its own: each operation is issued from the
 * completion of the one before it, on whichever thread completed it. For {@link ClusterKv} that is
 * the transport's I/O thread, where the next request is sent inline: no thread wakes up between
 * an answer and the next call. So nothing here may block or write a file.
 *
 * <p>The client's state (generator, counts, histogram, history) has one owner at a time: the thread
 * that settled the previous operation, or the one that started the client. Ownership passes
 * through {@link #outstanding} (whoever takes the operation out of it settles it, its completion or
 * the runner's guard) and through {@link #turns}; both are atomics, so each owner sees what the
 * one before it wrote. The runner reads the state only after {@link #finish} counted down.
 */
final class ClientLoop {

    /** An operation in flight; immutable, published through {@link #outstanding}. */
    private record Pending(PlannedOp op, long callNanos, CompletableFuture<?> future) {}

    private final KvTarget target;
    private final OpGenerator generator;
    private final Budget budget;
    private final boolean keepHistory;
    private final Consumer<HistoryEntry> onSettled;
    private final long guardNanos;
    private final CountDownLatch finished;
    /** Taken out exactly once per operation: by its completion, or by {@link #guard} when it never came. */
    private final AtomicReference<Pending> outstanding = new AtomicReference<>();
    /**
     * Turns of {@link #step} owed. A completion that runs inside a turn (the future was already
     * complete, e.g. a rejected call) adds a turn instead of nesting one, so a client whose calls
     * all fail at once loops instead of recursing.
     */
    private final AtomicInteger turns = new AtomicInteger();
    private volatile boolean stopRequested;
    private boolean done;

    final Histogram latency = new Histogram(3);
    final Map<OpKind, Long> perKind = new EnumMap<>(OpKind.class);
    final List<HistoryEntry> history = new ArrayList<>();
    long ok;
    long failed;
    long unknown;
    long swapped;
    /** What broke the client, if anything did; the runner rethrows it. */
    Throwable crash;

    ClientLoop(KvTarget target, OpGenerator generator, Budget budget, WorkloadRunner.Settings settings,
            Consumer<HistoryEntry> onSettled, CountDownLatch finished) {
        this.target = target;
        this.generator = generator;
        this.budget = budget;
        this.keepHistory = settings.keepHistory();
        this.onSettled = onSettled;
        this.guardNanos = TimeUnit.MILLISECONDS.toNanos(settings.guardMillis());
        this.finished = finished;
    }

    /** Issues the first operation; the others follow from completions until the budget is spent. */
    void start() {
        step();
    }

    /** Issues no more operations; the one outstanding still settles. Any thread. */
    void stop() {
        stopRequested = true;
    }

    /**
     * Settles as unknown the operation outstanding since {@code guardMillis} before {@code nowNanos},
     * as if its client had timed out, and goes on with the next one. Called by the runner's thread.
     */
    void guard(long nowNanos) {
        Pending pending = outstanding.get();
        if (pending == null || nowNanos - pending.callNanos() - guardNanos < 0
                || !outstanding.compareAndSet(pending, null)) {
            return;
        }
        pending.future().cancel(false); // its completion runs now and finds the operation settled
        record(new HistoryEntry(target.clientId(), pending.op(), pending.callNanos(), HistoryEntry.NOT_RETURNED,
                OpStatus.UNKNOWN, HistoryEntry.Output.NONE));
        step();
    }

    /** Runs turns until none is owed; a thread that finds one running leaves its turn to it. */
    private void step() {
        if (turns.getAndIncrement() != 0) {
            return;
        }
        do {
            issueNext();
        } while (turns.decrementAndGet() != 0);
    }

    private void issueNext() {
        if (done) {
            return; // crashed with an operation outstanding, which settled since
        }
        try {
            if (stopRequested || !budget.tryTake()) {
                finish();
                return;
            }
            PlannedOp op = generator.next();
            long callNanos = System.nanoTime();
            CompletableFuture<?> future = issue(op);
            Pending pending = new Pending(op, callNanos, future);
            outstanding.set(pending);
            future.whenComplete((answer, failure) -> onComplete(pending, answer, failure));
        } catch (RuntimeException | Error e) {
            crash(e);
        }
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

    private void onComplete(Pending pending, Object answer, Throwable failure) {
        long retNanos = System.nanoTime();
        if (!outstanding.compareAndSet(pending, null)) {
            return; // the guard gave up on it and settled it already
        }
        try {
            record(failure == null ? answered(pending, answer, retNanos) : failed(pending, failure, retNanos));
        } catch (RuntimeException | Error e) {
            crash(e);
            return;
        }
        step();
    }

    private HistoryEntry answered(Pending pending, Object answer, long retNanos) {
        return new HistoryEntry(target.clientId(), pending.op(), pending.callNanos(), retNanos, OpStatus.OK,
                learn(pending.op(), answer));
    }

    private HistoryEntry failed(Pending pending, Throwable failure, long retNanos) {
        OpStatus status = target.classify(cause(failure));
        return new HistoryEntry(target.clientId(), pending.op(), pending.callNanos(),
                status == OpStatus.UNKNOWN ? HistoryEntry.NOT_RETURNED : retNanos, status, HistoryEntry.Output.NONE);
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
        if (keepHistory) {
            history.add(entry);
        }
        onSettled.accept(entry);
    }

    private void crash(Throwable e) {
        crash = e;
        finish();
    }

    /** Counts down once: a client ends when its budget is spent, it was stopped, or it crashed. */
    private void finish() {
        if (!done) {
            done = true;
            finished.countDown();
        }
    }

    /**
     * What the call failed with. A continuation sees it wrapped once in a CompletionException when
     * it failed before a dependent stage (KvClient's decoding); CompletableFuture never wraps twice.
     */
    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
