package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import io.pbft.cli.StatusCommand;
import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft bench-catchup}: four replica processes with data directories; K keys are loaded, one
 * backup is killed (or paused), the other three take W writes, and the backup comes back. Measures
 * how long it takes to catch up, and what state transfer fetched for it against the whole state.
 * Records it in {@code bench/results/catchup-<stamp>.md}.
 */
@Command(name = "bench-catchup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Catch-up benchmark: starts 4 replica processes (f = 1) with data directories on 127.0.0.1,"
                + " writes every one of --keys keys, kills a backup (SIGKILL, or SIGSTOP with --fault PAUSE), runs"
                + " --writes writes with the other three, then restarts (or resumes) the backup and measures the"
                + " time until it has caught up, and the bytes state transfer fetched for it against the size of"
                + " the whole state (a peer's snapshot file).",
                "Prints and records the figures in bench/results/; the replicas are stopped at the end, also on"
                        + " failure."})
public final class CatchUpCommand implements Callable<Integer> {

    private static final int F = 1;
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a cluster may take to agree on a view before the backup's fault, and after the writes. */
    private static final Duration AGREE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);

    /** How the backup misses the writes. */
    enum Fault {
        /** SIGKILL, then started again on its data directory: it recovers from its disk, then catches up. */
        KILL("killed (SIGKILL), restarted on its data directory"),
        /** SIGSTOP, then SIGCONT: its memory is as it was; only what it missed is to catch up. */
        PAUSE("paused (SIGSTOP), resumed (SIGCONT)");

        final String description;

        Fault(String description) {
            this.description = description;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--keys", defaultValue = "10000", paramLabel = "K",
            description = "Keys written once each before the fault (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--writes", defaultValue = "100000", paramLabel = "W",
            description = "Writes (puts) the backup misses (default: ${DEFAULT-VALUE}).")
    long writes;

    @Option(names = "--written-keys", paramLabel = "M",
            description = "Keys the missed writes spread over, the first M of the K (default: all K); fewer"
                    + " leave more partitions as the backup had them.")
    Integer writtenKeys;

    @Option(names = "--clients", defaultValue = "16", paramLabel = "N",
            description = "Closed-loop clients that load the keys and write (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--fault", defaultValue = "KILL", paramLabel = "FAULT",
            description = "KILL (SIGKILL, restart on its data directory) or PAUSE (SIGSTOP, SIGCONT)"
                    + " (default: ${DEFAULT-VALUE}).")
    Fault fault;

    @Mixin
    DurableLogOption logOption;

    @Option(names = "--give-up-seconds", defaultValue = "600", paramLabel = "S",
            description = "How long after its return the backup may take to catch up before the run reports that"
                    + " it did not (default: ${DEFAULT-VALUE}).")
    int giveUpSeconds;

    @Mixin
    ClusterBenchOptions options;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        RunHeader run = RunHeader.capture(spec); // before the replicas load the machine
        try (WorkDir work = WorkDir.create("bench-catchup", out)) {
            ClusterConfig config = work.generateCluster(F, options.basePort, UnaryOperator.identity());
            CatchUpReport.Outcome outcome;
            try (ReplicaProcesses replicas = ReplicaProcesses.start(config, work.path(),
                    ReplicaJvm.launch().withSync(logOption.sync()));
                    BenchClients pool = BenchClients.connect(config, clients, options.timeoutMillis,
                            new SecureRandom())) {
                replicas.awaitReady(ReplicaJvm.READY_TIMEOUT);
                load(pool, out);
                outcome = measure(replicas, pool, out);
            }
            CatchUpReport report = new CatchUpReport(run, setup(config), keys, writtenKeyCount(),
                    KeyValueStateMachine.DEFAULT_PARTITION_COUNT, outcome);
            Path file = BenchSupport.writeResults(options.output, "catchup", report.markdown());
            out.println();
            report.table().forEach(out::println);
            out.println("results: " + file);
            work.deleteOnClose(report.allOk());
            return report.allOk() ? 0 : 1;
        }
    }

    private void load(BenchClients pool, PrintWriter out) throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "bench-catchup: writing each of %d keys once ...%n", keys);
        out.flush();
        long failed = KeyLoader.putEveryKey(pool.targets(), keys, LOAD_TIMEOUT);
        if (failed > 0) {
            throw new IOException(failed + " of the " + keys + " puts that load the keys failed or timed out");
        }
    }

    /** The fault, the writes the backup misses, its return, and the wait until it has caught up. */
    private CatchUpReport.Outcome measure(ReplicaProcesses replicas, BenchClients pool, PrintWriter out)
            throws IOException, InterruptedException {
        List<ReplicaStatus> before = awaitStatuses(replicas, ReplicaStatus::workInOneView, AGREE_TIMEOUT,
                "the replicas agree on a view before the fault");
        int n = before.size();
        int backup = Math.floorMod(before.get(0).primary() - 1, n); // the last to become primary
        long lastExecutedAtFault = before.get(backup).lastExecuted();
        if (fault == Fault.KILL) {
            replicas.kill(backup);
        } else {
            replicas.pause(backup);
        }
        out.printf(Locale.ROOT, "bench-catchup: replica %d %s at sequence %d; %d writes over %d keys ...%n", backup,
                fault == Fault.KILL ? "killed" : "paused", lastExecutedAtFault, writes, writtenKeyCount());
        out.flush();
        WorkloadResult written = WorkloadRunner.run(pool.targets(), Budget.ops(writes),
                new WorkloadRunner.Settings("w", new SecureRandom().nextLong(), writtenKeyCount(),
                        new OpMix(0, 100, 0, 0), options.timeoutMillis, false));
        List<ReplicaStatus> others = awaitStatuses(replicas,
                statuses -> ReplicaStatus.workInOneView(others(statuses, backup)), AGREE_TIMEOUT,
                "the replicas but " + backup + " agree on a view after the writes").stream()
                .filter(status -> status.id() != backup).toList();
        long stable = others.stream().mapToLong(ReplicaStatus::lowWatermark).max().orElseThrow();
        long othersLastExecuted = others.stream().mapToLong(ReplicaStatus::lastExecuted).max().orElseThrow();
        out.printf(Locale.ROOT, "bench-catchup: %s; the others executed %d, stable checkpoint %d; bringing"
                + " replica %d back ...%n", written.describe().get(0), othersLastExecuted, stable, backup);
        out.flush();
        return awaitCatchUp(replicas, before.get(0).view(), backup, lastExecutedAtFault, written, stable,
                othersLastExecuted, out);
    }

    /** Brings the backup back and polls its status until it has the others' state, or gives up. */
    private CatchUpReport.Outcome awaitCatchUp(ReplicaProcesses replicas, long view, int backup,
            long lastExecutedAtFault, WorkloadResult written, long stable, long othersLastExecuted, PrintWriter out)
            throws IOException, InterruptedException {
        if (fault == Fault.KILL) {
            replicas.restart(backup);
        } else {
            replicas.resume(backup);
        }
        long back = System.nanoTime();
        long deadline = back + TimeUnit.SECONDS.toNanos(giveUpSeconds);
        OptionalLong answered = OptionalLong.empty();
        OptionalLong caughtUp = OptionalLong.empty();
        OptionalLong sameState = OptionalLong.empty();
        long firstAnswerAt = -1;
        boolean sawNeedsState = false;
        List<ReplicaStatus> statuses = List.of();
        while (sameState.isEmpty() && System.nanoTime() - deadline < 0) {
            statuses = replicas.statuses();
            long now = System.nanoTime();
            ReplicaStatus mine = statuses.get(backup);
            if (mine.reachable()) {
                if (answered.isEmpty()) {
                    answered = OptionalLong.of(now - back);
                    firstAnswerAt = mine.lastExecuted();
                }
                sawNeedsState |= mine.needsState();
                if (caughtUp.isEmpty() && !mine.needsState() && mine.lastExecuted() >= stable
                        && ReplicaStatus.workInOneView(statuses)) {
                    caughtUp = OptionalLong.of(now - back);
                }
                if (caughtUp.isPresent() && hasTheOthersState(statuses, backup)) {
                    sameState = OptionalLong.of(now - back);
                }
            }
            if (sameState.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            }
        }
        if (sameState.isEmpty()) {
            out.println("bench-catchup: replica " + backup + " did not catch up within " + giveUpSeconds + " s\n"
                    + replicas.describe(statuses));
        }
        return new CatchUpReport.Outcome(fault.description, view, backup, lastExecutedAtFault, written, stable,
                othersLastExecuted, firstAnswerAt, answered, caughtUp, sameState, sawNeedsState,
                statuses.get(backup).counters(), largestPeerSnapshot(replicas, backup), giveUpSeconds);
    }

    /** Whether the backup executed as far as every other replica, and has the same state digest. */
    private static boolean hasTheOthersState(List<ReplicaStatus> statuses, int backup) {
        ReplicaStatus mine = statuses.get(backup);
        return others(statuses, backup).stream().allMatch(other -> other.reachable()
                && other.lastExecuted() == mine.lastExecuted() && other.stateDigestHex().equals(mine.stateDigestHex()));
    }

    /** The largest snapshot file among the other replicas' data directories, or -1 if none has one. */
    private static long largestPeerSnapshot(ReplicaProcesses replicas, int backup) throws IOException {
        long largest = -1;
        for (int id = 0; id < replicas.config().replicaCount(); id++) {
            if (id != backup) {
                long snapshot = ReplicaFootprint.diskUsage(replicas.dataDirectory(id)).snapshotBytes();
                largest = Math.max(largest, snapshot > 0 ? snapshot : -1);
            }
        }
        return largest;
    }

    private static List<ReplicaStatus> others(List<ReplicaStatus> statuses, int backup) {
        return statuses.stream().filter(status -> status.id() != backup).toList();
    }

    /** Polls the statuses until {@code condition} holds on them; fails with the replicas' state after {@code timeout}. */
    private static List<ReplicaStatus> awaitStatuses(ReplicaProcesses replicas, Predicate<List<ReplicaStatus>> condition,
            Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReplicaStatus> statuses = replicas.statuses();
            if (condition.test(statuses)) {
                return statuses;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("not within " + timeout.toSeconds() + " s: " + what + "; "
                        + StatusCommand.views(statuses) + "\n" + replicas.describe(statuses));
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
    }

    private int writtenKeyCount() {
        return writtenKeys != null ? writtenKeys : keys;
    }

    private List<String> setup(ClusterConfig config) {
        return List.of(
                BenchSupport.clusterSetup("n = 4 replica processes (f = 1), each with a data directory"),
                BenchSupport.protocolSetup(config.protocol(), config.clientRetransmitMillis()),
                logOption.setup(),
                String.format(Locale.ROOT, "load: %d closed-loop clients in the benchmark's JVM put each of keys k0 to"
                                + " k%d once; then the backup that comes last in the rotation of primaries is %s; the"
                                + " same clients put %d values (all writes, keys drawn uniformly from k0 to k%d);"
                                + " then the backup comes back with no load running, and its status is polled every"
                                + " %d ms", clients, keys - 1, fault.description, writes, writtenKeyCount() - 1,
                        POLL.toMillis()));
    }

    private void validate() {
        if (keys < 1 || writes < 1 || clients < 1) {
            throw usage("--keys, --writes and --clients must be at least 1, were " + keys + ", " + writes + " and "
                    + clients);
        }
        if (writtenKeys != null && (writtenKeys < 1 || writtenKeys > keys)) {
            throw usage("--written-keys must be between 1 and --keys (" + keys + "), was " + writtenKeys);
        }
        if (giveUpSeconds < 1) {
            throw usage("--give-up-seconds must be at least 1, was " + giveUpSeconds);
        }
        logOption.validate();
        options.validate(F);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
