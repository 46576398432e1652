package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import io.pbft.cli.KeygenCommand;
import io.pbft.cli.StatusCommand;
import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft bench-failover}: for each f, rounds on fresh clusters of 3f + 1 replica processes
 * under closed-loop load; in each, the primary is stopped with SIGSTOP at t0, and the failover time
 * is from t0 to the first answer to an operation called after t0. Prints the table and records it
 * in {@code bench/results/failover-<stamp>.md}. The replicas are always resumed and stopped.
 */
@Command(name = "bench-failover", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Failover benchmark: for each f, starts 3f + 1 replica processes on 127.0.0.1 (a fresh"
                + " cluster per round), loads them with closed-loop clients, stops the primary with SIGSTOP, and"
                + " measures the time from then to the first request committed in the new view.",
                "Prints and records in bench/results/ the median and max failover time per f; the replicas are"
                        + " resumed and stopped at the end of each round, also on failure."})
public final class FailoverCommand implements Callable<Integer> {

    /** How long the load goes on after the failover: the new view's steady state, in the history. */
    static final long AFTER_FAILOVER_SECONDS = 3;
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
    /** How long after the warm-up the replicas may take to agree on the view before the primary is stopped. */
    private static final Duration AGREE_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @Option(names = "--f-list", defaultValue = "1,2,3", split = ",", splitSynopsisLabel = ",", paramLabel = "F",
            description = "Faults tolerated, one set of rounds each; n = 3f + 1 (default: ${DEFAULT-VALUE}).")
    List<Integer> fList;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R",
            description = "Rounds per f, each on a fresh cluster (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-seconds", defaultValue = "10", paramLabel = "S",
            description = "Unmeasured load on each fresh cluster, so that the replicas' JIT has compiled the hot"
                    + " paths (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--pause-after-seconds", defaultValue = "3", paramLabel = "S",
            description = "Load before the primary is stopped (default: ${DEFAULT-VALUE}).")
    int pauseAfterSeconds;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "N",
            description = "Closed-loop clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--view-change-timeout-ms", defaultValue = "" + ReplicaConfig.DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS,
            paramLabel = "MILLIS",
            description = "The replicas' protocol.viewChangeTimeoutMillis (default: the library's,"
                    + " ${DEFAULT-VALUE}).")
    long viewChangeTimeoutMillis;

    @Option(names = "--give-up-seconds", defaultValue = "30", paramLabel = "S",
            description = "How long after the primary stopped a round waits for a failover before it reports"
                    + " none (default: ${DEFAULT-VALUE}).")
    int giveUpSeconds;

    @Option(names = "--keys", defaultValue = "64", paramLabel = "K",
            description = "Keys the clients spread over (default: ${DEFAULT-VALUE}).")
    int keys;

    @Mixin
    ClusterBenchOptions options;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        RunHeader run = RunHeader.capture(spec); // before the replicas load the machine
        List<FailoverRound> results = new ArrayList<>();
        for (int f : fList) {
            for (int round = 1; round <= rounds; round++) {
                results.add(runRound(f, round, out));
            }
        }
        FailoverReport report = new FailoverReport(run, setup(), results, viewChangeTimeoutMillis,
                ClusterConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS, giveUpSeconds);
        Path file = BenchSupport.writeResults(options.output, "failover", report.markdown());
        out.println();
        report.summaryTable().forEach(out::println);
        out.println();
        report.roundsTable().forEach(out::println);
        out.println();
        out.println(report.explanation());
        out.println("results: " + file);
        out.flush();
        return report.allOk() ? 0 : 1;
    }

    /** One round on a fresh cluster; its replica logs are kept when it did not fail over. */
    private FailoverRound runRound(int f, int round, PrintWriter out) throws IOException, InterruptedException {
        try (WorkDir work = WorkDir.create("bench-failover", out)) {
            ClusterConfig config = BenchSupport.generateCluster(work.path(), f, options.basePort,
                    protocol -> protocol.withViewChangeTimeout(viewChangeTimeoutMillis));
            out.printf(Locale.ROOT, "bench-failover: f = %d, round %d of %d: %s%n", f, round, rounds,
                    BenchSupport.startingLine(config, work.path()));
            out.flush();
            FailoverRound result;
            try (ReplicaProcesses replicas = ReplicaProcesses.start(config, work.path(), ReplicaJvm.launch());
                    BenchClients pool = BenchClients.connect(config, clients, options.timeoutMillis,
                            new SecureRandom())) {
                replicas.awaitReady(ReplicaJvm.READY_TIMEOUT);
                out.printf(Locale.ROOT, "bench-failover: warming up: %d clients for %d s (not measured) ...%n",
                        clients, warmupSeconds);
                out.flush();
                WorkloadRunner.run(pool.targets(),
                        Budget.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds)),
                        settings("warm", false));
                result = measure(f, round, config, replicas, pool, out);
            }
            out.println("bench-failover: " + describe(result));
            out.flush();
            work.deleteOnClose(result.failedOver());
            return result;
        }
    }

    /**
     * Loads the cluster, stops its primary after {@code --pause-after-seconds}, and lets the load go
     * on until {@link #AFTER_FAILOVER_SECONDS} after the first answer to an operation called since,
     * or until {@code --give-up-seconds} passed without one.
     */
    private FailoverRound measure(int f, int round, ClusterConfig config, ReplicaProcesses replicas,
            BenchClients pool, PrintWriter out) throws IOException, InterruptedException {
        ReplicaStatus before = agreedView(config);
        FailoverWatch watch = new FailoverWatch();
        AtomicLong stopNanos = new AtomicLong(System.nanoTime()
                + TimeUnit.SECONDS.toNanos(pauseAfterSeconds + giveUpSeconds + AFTER_FAILOVER_SECONDS));
        Budget budget = () -> System.nanoTime() - stopNanos.get() < 0;
        FutureTask<WorkloadResult> workload = new FutureTask<>(
                () -> WorkloadRunner.run(pool.targets(), budget, settings("r" + round, true), watch));
        Thread runner = new Thread(workload, "pbft-bench-failover-workload");
        runner.start();
        try {
            TimeUnit.SECONDS.sleep(pauseAfterSeconds);
            replicas.pause(before.primary());
            long t0 = System.nanoTime();
            watch.arm(t0);
            out.printf(Locale.ROOT, "bench-failover: stopped the primary, replica %d of view %d (SIGSTOP); waiting"
                    + " up to %d s for an answer in a new view ...%n", before.primary(), before.view(), giveUpSeconds);
            out.flush();
            boolean failedOver = watch.await(Duration.ofSeconds(giveUpSeconds));
            stopNanos.set(System.nanoTime() + (failedOver ? TimeUnit.SECONDS.toNanos(AFTER_FAILOVER_SECONDS) : 0));
            WorkloadResult result = outcome(workload);
            List<ReplicaStatus> others = StatusClient.query(config, STATUS_TIMEOUT).stream()
                    .filter(status -> status.id() != before.primary()).toList();
            return FailoverRound.of(f, round, before.primary(), before.view(), t0, result,
                    FailoverRound.describeViews(others));
        } finally {
            if (runner.isAlive()) { // failed or interrupted on the way: the clients issue no more
                runner.interrupt();
                runner.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
    }

    /**
     * The status of a replica in the view every replica works in, once they all agree (a view
     * change under the warm-up's load would otherwise make the benchmark stop a backup).
     */
    private static ReplicaStatus agreedView(ClusterConfig config) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + AGREE_TIMEOUT.toNanos();
        while (true) {
            List<ReplicaStatus> statuses = StatusClient.query(config, STATUS_TIMEOUT);
            if (ReplicaStatus.workInOneView(statuses)) {
                return statuses.get(0);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("before the primary was to be stopped, the replicas did not agree on a view"
                        + " within " + AGREE_TIMEOUT.toSeconds() + " s: " + StatusCommand.views(statuses));
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** The workload's result; a failure inside it is rethrown as what it is. */
    private static WorkloadResult outcome(FutureTask<WorkloadResult> workload) throws InterruptedException {
        try {
            return workload.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("failover workload failed: " + e.getCause(), e.getCause());
        }
    }

    private WorkloadRunner.Settings settings(String runId, boolean keepHistory) {
        return new WorkloadRunner.Settings(runId, new SecureRandom().nextLong(), keys, OpMix.DEFAULT,
                options.timeoutMillis, keepHistory);
    }

    private String describe(FailoverRound r) {
        return String.format(Locale.ROOT, "f = %d, round %d: %s; longest operation %s ms; %d completed, %d failed,"
                        + " %d unknown; the other replicas at the end: %s", r.f(), r.round(),
                r.failedOver() ? "failover " + FailoverReport.millis(r.failoverNanos().getAsLong()) + " ms"
                        : "no failover within " + giveUpSeconds + " s",
                FailoverReport.millis(r.longestNanos()), r.completed(), r.failed(), r.unknown(), r.viewsAfter());
    }

    private List<String> setup() {
        ReplicaConfig protocol = ReplicaConfig.defaults(4, 0).withViewChangeTimeout(viewChangeTimeoutMillis);
        String fs = fList.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return List.of(
                BenchSupport.clusterSetup("n = 3f + 1 replica processes for f = " + fs + ", a fresh cluster"
                        + " (new keys, new processes) each round"),
                BenchSupport.protocolSetup(protocol, ClusterConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS),
                BenchSupport.clientsSetup(keys, options.timeoutMillis),
                String.format(Locale.ROOT, "rounds: %d per f; in each, %d s of load with %d clients (JIT warm-up of"
                                + " the replicas, not measured), then the same %d clients with every operation's call"
                                + " and return recorded; %d s into it, SIGSTOP of the primary (replica 0 of view 0"
                                + " unless the warm-up changed the view: the rounds table names it), t0 when the"
                                + " signal had been sent; the load goes on until %d s after the first answer to an"
                                + " operation called after t0, or stops %d s after t0 without one; then"
                                + " the other replicas are asked for their view, and the cluster is resumed"
                                + " (SIGCONT) and stopped", rounds, warmupSeconds, clients, clients,
                        pauseAfterSeconds, AFTER_FAILOVER_SECONDS, giveUpSeconds));
    }

    private void validate() {
        if (fList.isEmpty() || fList.stream().anyMatch(f -> f < 1 || f > KeygenCommand.MAX_F)) {
            throw usage("--f-list needs values of f between 1 and " + KeygenCommand.MAX_F + " (with f = 0 there is"
                    + " no backup to take over), was " + fList);
        }
        atLeast("--rounds", rounds, 1);
        atLeast("--clients", clients, 1);
        atLeast("--keys", keys, 1);
        atLeast("--warmup-seconds", warmupSeconds, 0);
        atLeast("--pause-after-seconds", pauseAfterSeconds, 1);
        atLeast("--give-up-seconds", giveUpSeconds, 1);
        if (viewChangeTimeoutMillis < 1 || viewChangeTimeoutMillis > 3_600_000) {
            throw usage("--view-change-timeout-ms must be between 1 and 3600000, was " + viewChangeTimeoutMillis);
        }
        options.validate(fList.stream().max(Integer::compare).orElse(1));
    }

    private void atLeast(String option, long value, long min) {
        if (value < min) {
            throw usage(option + " must be at least " + min + ", was " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
