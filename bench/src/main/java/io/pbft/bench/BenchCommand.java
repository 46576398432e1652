package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import io.pbft.cli.KeygenCommand;
import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.PbftClient;
import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft bench}: starts n = 3f + 1 replica processes on loopback, runs closed-loop clients
 * against them in phases (1, 8, 32 clients by default), and records latency and throughput in a
 * markdown file under {@code bench/results/}. The replicas are always stopped at the end.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cluster benchmark: starts 3f + 1 replica processes on 127.0.0.1, runs closed-loop clients"
                + " (a mixed get/put/cas/delete workload) in one phase per client count, and prints and records"
                + " median and p99 latency and throughput in bench/results/.",
                "The replicas run from the same jar, with fresh keys in a temporary directory, and are stopped"
                        + " at the end, also on failure."})
public final class BenchCommand implements Callable<Integer> {

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--f"}, defaultValue = "1", paramLabel = "F",
            description = "Faults tolerated; n = 3f + 1 replica processes (default: ${DEFAULT-VALUE}).")
    int f;

    @Option(names = "--duration-seconds", defaultValue = "10", paramLabel = "S",
            description = "Length of each measured phase (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S",
            description = "Unmeasured warm-up before each phase (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--clients-list", defaultValue = "1,8,32", split = ",", splitSynopsisLabel = ",",
            paramLabel = "N",
            description = "Closed-loop client counts, one phase each (default: ${DEFAULT-VALUE}).")
    List<Integer> clientsList;

    @Option(names = "--pipelined-list", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
            description = "After the --clients-list phases, one phase per N with a single pipelined client:"
                    + " N closed loops over one client whose window lets N requests be outstanding (at most "
                    + PbftClient.MAX_WINDOW + "; default: none).")
    List<Integer> pipelinedList = List.of();

    @Option(names = "--cluster-warmup-seconds", defaultValue = "15", paramLabel = "S",
            description = "Unmeasured load before the first phase, with the largest client count, so that the"
                    + " replicas' JIT has compiled the hot paths (default: ${DEFAULT-VALUE}).")
    int clusterWarmupSeconds;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Most requests per pre-prepare (default: the library's default).")
    Integer batchSize;

    @Option(names = "--log", defaultValue = "SYNCED", paramLabel = "MODE",
            description = "How the replicas keep their log: SYNCED (forced per group of records, the default of"
                    + " `pbft replica --data-dir`), UNSYNCED or MEMORY (none) (default: ${DEFAULT-VALUE}).")
    ReplicaLog replicaLog;

    @Option(names = "--keys", defaultValue = "64", paramLabel = "K",
            description = "Keys the clients spread over (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--mix", defaultValue = "40,30,20,10", split = ",", paramLabel = "PERCENT",
            description = "Shares of get, put, cas and delete in percent, adding up to 100 (default: ${DEFAULT-VALUE}).")
    List<Integer> mix;

    @Option(names = "--ordered-gets",
            description = "Order gets through the three phases instead of sending them read-only (answered by"
                    + " 2f + 1 matching replicas from their state).")
    boolean orderedGets;

    @Option(names = "--byzantine", paramLabel = "ID=SPEC",
            description = "Replica ID misbehaves on purpose as SPEC says (replica --misbehave: the chaos module's"
                    + " behaviours, e.g. 0=equivocate, 3=silent); repeatable, at most f replicas.")
    List<String> byzantine = new ArrayList<>();

    @Option(names = "--fault-control",
            description = "Start every replica with --fault-control (its fault-control port open, no fault set):"
                    + " to measure what the idle fault layer costs.")
    boolean faultControl;

    @Mixin
    ClusterBenchOptions options;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        RunHeader run = RunHeader.capture(spec); // before the replicas load the machine
        try (WorkDir work = WorkDir.create("bench", out)) {
            ClusterConfig config = work.generateCluster(f, options.basePort,
                    protocol -> batchSize == null ? protocol
                            : protocol.withBatching(batchSize, protocol.batchDelayMillis(),
                                    protocol.maxInFlightBatches()));
            List<BenchReport.Phase> phases = new ArrayList<>();
            try (ReplicaProcesses replicas = ReplicaProcesses.start(config, work.path(), launch())) {
                replicas.awaitReady(ReplicaJvm.READY_TIMEOUT);
                warmUpCluster(config, out);
                for (int clients : clientsList) {
                    phases.add(runPhase(config, clients, 1, out));
                }
                for (int outstanding : pipelinedList) {
                    phases.add(runPhase(config, 1, outstanding, out));
                }
            }
            BenchReport report = new BenchReport(run, config, setup(config), phases);
            Path file = BenchSupport.writeResults(options.output, "cluster-f" + config.f(), report.markdown());
            out.println();
            report.table().forEach(out::println);
            out.println();
            report.summary().forEach(out::println);
            out.println("results: " + file);
            work.deleteOnClose(report.allOk());
            return report.allOk() ? 0 : 1;
        }
    }

    /** The replicas' JVMs, with the log mode, misbehaviours and fault-control port asked for. */
    private ReplicaProcesses.Launch launch() {
        ReplicaProcesses.Launch launch = ReplicaJvm.launch().withSync(replicaLog.sync);
        for (String entry : byzantine) {
            int equals = entry.indexOf('=');
            launch = launch.withMisbehaviour(Integer.parseInt(entry.substring(0, equals)), entry.substring(equals + 1));
        }
        return faultControl ? launch.withReplicaOptions("--fault-control") : launch;
    }

    /** Load that is not measured: replicas start interpreted, and signatures are slow until compiled. */
    private void warmUpCluster(ClusterConfig config, PrintWriter out) throws InterruptedException {
        if (clusterWarmupSeconds == 0) {
            return;
        }
        int clients = clientsList.stream().mapToInt(Integer::intValue).max().orElse(1);
        out.printf(Locale.ROOT, "bench: warming up the cluster: %d clients for %d s (not measured) ...%n", clients,
                clusterWarmupSeconds);
        out.flush();
        SecureRandom random = new SecureRandom();
        try (BenchClients pool = BenchClients.connect(config, clients, options.timeoutMillis, random, orderedGets)) {
            WorkloadRunner.run(pool.targets(),
                    Budget.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(clusterWarmupSeconds)),
                    settings("warm", random.nextLong()));
        }
    }

    /** One phase: {@code clients} separate clients, or one client with {@code outstanding} closed loops over its window. */
    private BenchReport.Phase runPhase(ClusterConfig config, int clients, int outstanding, PrintWriter out)
            throws InterruptedException {
        String described = BenchReport.describe(clients, outstanding);
        out.printf(Locale.ROOT, "bench: %s: %d s warm-up, %d s measured ...%n", described, warmupSeconds,
                durationSeconds);
        out.flush();
        SecureRandom random = new SecureRandom();
        try (BenchClients pool = outstanding == 1
                ? BenchClients.connect(config, clients, options.timeoutMillis, random, orderedGets)
                : BenchClients.pipelined(config, outstanding, options.timeoutMillis, random, orderedGets)) {
            String runId = (outstanding == 1 ? "" : "p") + clients * outstanding;
            long seed = random.nextLong();
            WorkloadRunner.run(pool.targets(),
                    Budget.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds)),
                    settings("w" + runId, seed));
            long executedBefore = primaryLastExecuted(config);
            WorkloadResult result = WorkloadRunner.run(pool.targets(),
                    Budget.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds)),
                    settings("m" + runId, seed + 1));
            long executedAfter = primaryLastExecuted(config);
            long batches = executedBefore < 0 || executedAfter < 0 ? -1 : executedAfter - executedBefore;
            out.printf(Locale.ROOT, "bench: %s: %.0f ops/s, %s%n", described, result.throughputPerSecond(),
                    result.latencySummary().describe());
            out.flush();
            return new BenchReport.Phase(clients, outstanding, result, batches);
        }
    }

    /**
     * The last sequence number the primary of view 0 executed, or -1 if it does not answer: the
     * difference over a phase is the number of batches, which tells how well requests shared them.
     */
    private static long primaryLastExecuted(ClusterConfig config) {
        ReplicaStatus primary = StatusClient.query(config, STATUS_TIMEOUT).get(0);
        return primary.reachable() ? primary.lastExecuted() : -1;
    }

    private WorkloadRunner.Settings settings(String runId, long seed) {
        return new WorkloadRunner.Settings(runId, seed, keys, opMix(), options.timeoutMillis, false);
    }

    private OpMix opMix() {
        return new OpMix(mix.get(0), mix.get(1), mix.get(2), mix.get(3));
    }

    private List<String> setup(ClusterConfig config) {
        return List.of(
                BenchSupport.clusterSetup(String.format(Locale.ROOT, "n = %d replica processes (f = %d)",
                        config.replicaCount(), config.f())),
                BenchSupport.protocolSetup(config.protocol(), config.clientRetransmitMillis()),
                BenchSupport.clientsSetup(keys, options.timeoutMillis, opMix(), orderedGets),
                replicaLog.setup(),
                "misbehaving on purpose: " + (byzantine.isEmpty() ? "none" : String.join(", ", byzantine))
                        + (faultControl ? "; every replica with --fault-control (no fault set)" : ""),
                String.format(Locale.ROOT, "phases: first %d s of unmeasured load with the largest client count"
                                + " (JIT warm-up of the replicas); then per phase (%s clients) %d s warm-up (not measured)"
                                + " and %d s measured, with fresh clients", clusterWarmupSeconds,
                        clientsList.stream().map(String::valueOf).collect(Collectors.joining(", ")), warmupSeconds,
                        durationSeconds),
                pipelinedList.isEmpty() ? "pipelined: none"
                        : "pipelined phases (" + pipelinedList.stream().map(String::valueOf)
                                .collect(Collectors.joining(", ")) + " outstanding): one client, that many closed"
                                + " loops sharing it, its window that size; same warm-up and duration");
    }

    private void validate() {
        if (f < 0 || f > KeygenCommand.MAX_F) {
            throw usage("-f must be between 0 and " + KeygenCommand.MAX_F + ", was " + f);
        }
        if (durationSeconds < 1 || warmupSeconds < 0 || clusterWarmupSeconds < 0) {
            throw usage("--duration-seconds must be at least 1, --warmup-seconds and --cluster-warmup-seconds"
                    + " not negative");
        }
        if (clientsList.isEmpty() || clientsList.stream().anyMatch(n -> n < 1)) {
            throw usage("--clients-list needs client counts of at least 1, was " + clientsList);
        }
        if (pipelinedList.stream().anyMatch(n -> n < 2 || n > PbftClient.MAX_WINDOW)) {
            throw usage("--pipelined-list needs counts of outstanding requests from 2 to " + PbftClient.MAX_WINDOW
                    + " (one client's window), was " + pipelinedList);
        }
        if (keys < 1) {
            throw usage("--keys must be at least 1, was " + keys);
        }
        if (mix.size() != 4) {
            throw usage("--mix needs four shares (get, put, cas, delete), was " + mix);
        }
        try {
            opMix();
        } catch (IllegalArgumentException e) {
            throw usage("--mix: " + e.getMessage());
        }
        options.validate(f);
        if (byzantine.size() > f) {
            throw usage("at most f = " + f + " replicas may misbehave, not " + byzantine.size());
        }
        for (String entry : byzantine) {
            if (!entry.matches("\\d{1,4}=.+") || Integer.parseInt(entry.substring(0, entry.indexOf('='))) > 3 * f) {
                throw usage("--byzantine " + entry + ": needs ID=SPEC with ID a replica of the cluster (0 to "
                        + 3 * f + ")");
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
