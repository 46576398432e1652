package io.pbft.chaos.live;

import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.ClusterKv;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.PbftClient;
import io.pbft.config.ClusterConfig;
import io.pbft.transport.Transport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code pbft workload} (the {@link WorkloadRunner} with {@link ClusterKv} clients on one shared
 * transport, as {@code WorkloadCommand} runs it) on a thread of its own, while a test injects
 * faults. Its budget is open: operations go on until the test {@link #finishAfter ends it}, so that
 * the faults happen under load whatever the machine's speed, with a cap that bounds the run.
 */
final class LiveWorkload implements AutoCloseable {

    private final OpenBudget budget;
    private final Transport transport;
    private final List<ClusterKv> clients;
    private final FutureTask<WorkloadResult> run;
    private final Thread thread;
    private final int clientCount;

    private LiveWorkload(OpenBudget budget, Transport transport, List<ClusterKv> clients,
            WorkloadRunner.Settings settings) {
        this.budget = budget;
        this.transport = transport;
        this.clients = clients;
        this.clientCount = clients.size();
        this.run = new FutureTask<>(() -> WorkloadRunner.run(clients, budget, settings));
        this.thread = new Thread(run, "live-workload");
        thread.setDaemon(true);
    }

    /** Starts {@code clientCount} closed-loop clients, each with a fresh identity; {@code maxOps} bounds the run. */
    static LiveWorkload start(ClusterConfig config, int clientCount, long maxOps, WorkloadRunner.Settings settings) {
        Transport transport = PbftClient.newTransport(config);
        List<ClusterKv> clients = new ArrayList<>(clientCount);
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < clientCount; i++) {
            clients.add(ClusterKv.connect(config, settings.opTimeoutMillis(), random, transport));
        }
        LiveWorkload workload = new LiveWorkload(new OpenBudget(maxOps), transport, clients, settings);
        workload.thread.start();
        return workload;
    }

    /**
     * Operations that settled (answered, failed or given up on) so far, at least: a client issues its
     * next operation only once its previous one settled, so all but one per client of those issued have.
     */
    long settled() {
        return Math.max(0, budget.issued() - clientCount);
    }

    boolean isDone() {
        return run.isDone();
    }

    /** Issues {@code moreOps} more operations (a few more if clients were taking one meanwhile), then no more. */
    void finishAfter(long moreOps) {
        budget.limitTo(budget.issued() + moreOps);
    }

    /**
     * Waits (at most {@code timeout}) for the run to end: after {@link #finishAfter}, or at the cap.
     * The runner itself gives up on an operation twice its client's timeout plus a second after it
     * was issued, so a run ends even when the cluster stopped answering.
     */
    WorkloadResult result(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Issues no more operations, closes the clients (what is outstanding settles as unknown) and the
     * transport, and waits (bounded) for the runner's thread.
     */
    @Override
    public void close() {
        budget.limitTo(0);
        clients.forEach(ClusterKv::close);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                thread.interrupt(); // the runner then stops its clients and returns
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        } finally {
            transport.close();
        }
    }

    /** Operations until a limit that starts at a cap and that the test may lower; thread-safe. */
    private static final class OpenBudget implements Budget {
        private final AtomicLong issued = new AtomicLong();
        private final AtomicLong limit;

        OpenBudget(long maxOps) {
            this.limit = new AtomicLong(maxOps);
        }

        @Override
        public boolean tryTake() {
            long cap = limit.get();
            return issued.getAndUpdate(n -> n < cap ? n + 1 : n) < cap;
        }

        long issued() {
            return issued.get();
        }

        void limitTo(long newLimit) {
            limit.accumulateAndGet(newLimit, Math::min);
        }
    }
}
