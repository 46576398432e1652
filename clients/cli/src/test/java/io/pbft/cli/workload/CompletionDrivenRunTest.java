package io.pbft.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner drives each client from the completions of its operations, with no thread per
 * client: on the thread that completed the previous operation, within the budget, giving up on
 * operations that never complete, and without recursing when calls fail at once.
 */
class CompletionDrivenRunTest {

    /** A client timeout whose guard (2 * timeout + 1 s) no test gets near: nothing is given up on by accident. */
    private static final long LONG_TIMEOUT_MILLIS = 60_000;

    private final KeyValueStateMachine store = new KeyValueStateMachine();
    private final List<ExecutorService> threads = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopThreads() {
        threads.forEach(ExecutorService::shutdownNow);
    }

    private static WorkloadRunner.Settings settings(long opTimeoutMillis) {
        return new WorkloadRunner.Settings("t2", 7, 4, OpMix.DEFAULT, opTimeoutMillis, true);
    }

    /** A stand-in for a transport's I/O thread: one thread that completes futures. */
    private ExecutorService ioThread(String name) {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        threads.add(executor);
        return executor;
    }

    private static Thread threadOf(ExecutorService executor) throws Exception {
        return executor.submit(Thread::currentThread).get(BackgroundRun.HANG_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void everyOperationAfterTheCallersTurnIsIssuedOnTheThreadThatCompletedThePreviousOne() throws Exception {
        ExecutorService io = ioThread("fake-io");
        List<DeferredKv> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(new DeferredKv(new InMemoryKv(store, 10 + i), io));
        }

        WorkloadResult result = WorkloadRunner.run(clients, Budget.ops(2_000), settings(LONG_TIMEOUT_MILLIS));

        assertThat(result.ok()).isEqualTo(2_000);
        Thread ioThread = threadOf(io);
        for (DeferredKv client : clients) {
            assertThat(client.callingThreads).as("the caller starts each client").first()
                    .isSameAs(Thread.currentThread());
            assertThat(client.threadsAfterTheFirstCaller()).as("no thread of the client's own")
                    .isNotEmpty().allSatisfy(thread -> assertThat(thread).isSameAs(ioThread));
        }
    }

    @Test
    void clientsCompletingOnSeveralThreadsRunExactlyTheBudgetEachClosedLoopInItsOwnOrder() throws Exception {
        List<ExecutorService> io = List.of(ioThread("io-0"), ioThread("io-1"), ioThread("io-2"));
        List<DeferredKv> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(new DeferredKv(new InMemoryKv(store, 100 + i), io.get(i % io.size())));
        }

        WorkloadResult result = WorkloadRunner.run(clients, Budget.ops(6_000), settings(LONG_TIMEOUT_MILLIS));

        assertThat(result.ok()).isEqualTo(6_000);
        assertThat(result.issued()).isEqualTo(6_000);
        assertThat(clients.stream().mapToInt(client -> client.callingThreads.size()).sum()).isEqualTo(6_000);
        assertThat(result.latency().getTotalCount()).isEqualTo(6_000);
        assertThat(result.perKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6_000);
        assertThat(result.history()).hasSize(6_000);
        for (int i = 0; i < clients.size(); i++) {
            assertClosedLoopInOrder(result.history(), clients.get(i).clientId(), i);
        }
        assertThat(HistoryWriter.write(dir.resolve("history.jsonl"), result.history())).isEqualTo(6_000);
    }

    /** One operation outstanding at a time, and the values written numbered in call order. */
    private static void assertClosedLoopInOrder(List<HistoryEntry> history, long client, int index) {
        List<HistoryEntry> own = history.stream().filter(entry -> entry.client() == client)
                .sorted(Comparator.comparingLong(HistoryEntry::callNanos)).toList();
        long written = 0;
        for (int i = 0; i < own.size(); i++) {
            HistoryEntry entry = own.get(i);
            if (i + 1 < own.size()) {
                assertThat(entry.retNanos()).as("returned before the next call").isLessThanOrEqualTo(
                        own.get(i + 1).callNanos());
            }
            if (entry.op().value() != null) {
                assertThat(entry.op().value()).isEqualTo("t2-" + index + "-" + written++);
            }
        }
    }

    @Test
    void failuresThatReachTheRunnerThroughADependentStageAreClassifiedByTheirCause() throws Exception {
        ExecutorService io = ioThread("fake-io");
        DeferredKv rejecting = new DeferredKv(new InMemoryKv(store, 1).failEvery(2, false), io);
        DeferredKv timingOut = new DeferredKv(new InMemoryKv(store, 2).failEvery(2, true), io);

        WorkloadResult result = WorkloadRunner.run(List.of(rejecting, timingOut), Budget.ops(400),
                settings(LONG_TIMEOUT_MILLIS));

        long failed = result.history().stream().filter(entry -> entry.status() == OpStatus.FAIL).count();
        long unknown = result.history().stream().filter(entry -> entry.status() == OpStatus.UNKNOWN).count();
        assertThat(failed).isEqualTo(rejecting.callingThreads.size() / 2).isEqualTo(result.failed()).isPositive();
        assertThat(unknown).isEqualTo(timingOut.callingThreads.size() / 2).isEqualTo(result.unknown()).isPositive();
        assertThat(result.history()).filteredOn(entry -> entry.status() == OpStatus.FAIL)
                .allSatisfy(entry -> assertThat(entry.client()).isEqualTo(1))
                .allSatisfy(entry -> assertThat(entry.returned()).isTrue());
        assertThat(result.history()).filteredOn(entry -> entry.status() == OpStatus.UNKNOWN)
                .allSatisfy(entry -> assertThat(entry.client()).isEqualTo(2))
                .allSatisfy(entry -> assertThat(entry.returned()).isFalse());
    }

    @Test
    void whenTheBudgetEndsTheRunIssuesNoMoreAndWaitsForTheOutstandingOperations() throws Exception {
        BlockingQueue<Runnable> answers = new LinkedBlockingQueue<>();
        List<DeferredKv> clients = List.of(new DeferredKv(new InMemoryKv(store, 1), answers::add),
                new DeferredKv(new InMemoryKv(store, 2), answers::add),
                new DeferredKv(new InMemoryKv(store, 3), answers::add));
        AtomicBoolean timeLeft = new AtomicBoolean(true);

        BackgroundRun run = BackgroundRun.start(
                () -> WorkloadRunner.run(clients, timeLeft::get, settings(LONG_TIMEOUT_MILLIS)));
        List<Runnable> outstanding = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Runnable answer = answers.poll(BackgroundRun.HANG_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(answer).as("operation %d issued", i).isNotNull();
            outstanding.add(answer);
        }
        timeLeft.set(false);
        assertThat(run.isDone()).as("three operations are outstanding").isFalse();
        outstanding.forEach(Runnable::run);

        WorkloadResult result = run.result();
        assertThat(result.ok()).isEqualTo(3);
        assertThat(result.issued()).isEqualTo(3);
        assertThat(answers).as("nothing issued once the budget ended").isEmpty();
    }

    @Test
    void anInterruptedRunThrowsAndItsClientsIssueNoMore() throws Exception {
        BlockingQueue<Runnable> answers = new LinkedBlockingQueue<>();
        DeferredKv client = new DeferredKv(new InMemoryKv(store, 1), answers::add);
        BackgroundRun run = BackgroundRun.start(
                () -> WorkloadRunner.run(List.of(client), Budget.ops(100), settings(LONG_TIMEOUT_MILLIS)));
        Runnable answer = answers.poll(BackgroundRun.HANG_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(answer).as("first operation issued").isNotNull();

        run.interrupt();

        assertThatThrownBy(run::result).isInstanceOf(InterruptedException.class);
        answer.run();
        assertThat(client.callingThreads).as("the answer issued no next operation").hasSize(1);
    }

    @Test
    void anOperationThatNeverCompletesIsGivenUpOnAsUnknownAndItsClientGoesOn() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        Executor loseTheFirstAnswer = answer -> {
            if (delivered.getAndIncrement() > 0) {
                answer.run();
            }
        };
        DeferredKv client = new DeferredKv(new InMemoryKv(store, 1), loseTheFirstAnswer);

        // A client timeout of 1 ms: the runner gives up after its guard of 2 ms + 1 s.
        WorkloadResult result = BackgroundRun.start(
                () -> WorkloadRunner.run(List.of(client), Budget.ops(3), settings(1))).result();

        assertThat(result.unknown()).isEqualTo(1);
        assertThat(result.ok()).isEqualTo(2);
        assertThat(result.history()).hasSize(3);
        HistoryEntry lost = result.history().get(0);
        assertThat(lost.status()).isEqualTo(OpStatus.UNKNOWN);
        assertThat(lost.returned()).isFalse();
        assertThat(HistoryJson.toJson(lost)).doesNotContain("\"ret\"");
        assertThat(client.returned.get(0)).as("given up on").isCancelled();
        assertThat(result.history().get(1).callNanos()).isGreaterThan(lost.callNanos());
    }

    @Test
    void aClientWhoseCallsAllFailAtOnceLoopsInsteadOfRecursing() throws Exception {
        WorkloadResult result = BackgroundRun.start(() -> WorkloadRunner.run(
                List.of(new InMemoryKv(store, 1).failEvery(1, false)), Budget.ops(100_000),
                new WorkloadRunner.Settings("t3", 1, 4, OpMix.DEFAULT, 1_000, false))).result();

        assertThat(result.failed()).isEqualTo(100_000);
        assertThat(result.ok()).isZero();
    }

    @Test
    void aClientThatBreaksOnAnotherThreadEndsTheRunWithItsFailure() {
        AtomicInteger takes = new AtomicInteger();
        Budget breaksOnTheThirdOperation = () -> {
            if (takes.incrementAndGet() == 3) {
                throw new IllegalStateException("budget broke");
            }
            return true;
        };
        DeferredKv client = new DeferredKv(new InMemoryKv(store, 1), ioThread("fake-io"));

        BackgroundRun run = BackgroundRun.start(
                () -> WorkloadRunner.run(List.of(client), breaksOnTheThirdOperation, settings(LONG_TIMEOUT_MILLIS)));

        assertThatThrownBy(run::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("budget broke");
    }
}
