package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.node.ReplicaStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft bench-soak}: four replica processes with data directories serve closed-loop clients
 * over a fixed key space until R requests have been answered; before the load and after every
 * R / points requests, each replica's heap after a full collection, its resident memory and its
 * data directory on disk are measured. The state is bounded by the key space, so a replica whose
 * memory and log are bounded too shows a flat series. Records it in {@code bench/results/soak-<stamp>.md}.
 */
@Command(name = "bench-soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Soak benchmark: starts 4 replica processes (f = 1) with data directories on 127.0.0.1, runs"
                + " closed-loop clients over a fixed key space until --requests requests were answered, and at"
                + " --points points along the way (and before the load) measures each replica's heap after a full"
                + " GC (jcmd GC.run, jstat -gc), its resident memory and its data directory on disk.",
                "Prints and records the series in bench/results/; flat is what bounded memory and a truncated"
                        + " log look like. The replicas are stopped at the end, also on failure."})
public final class SoakCommand implements Callable<Integer> {

    private static final int F = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "100000", paramLabel = "R",
            description = "Requests to run in all (default: ${DEFAULT-VALUE}).")
    long requests;

    @Option(names = "--points", defaultValue = "10", paramLabel = "N",
            description = "Points at which the replicas are measured, evenly spread over the requests, besides one"
                    + " before the load (default: ${DEFAULT-VALUE}).")
    int pointCount;

    @Option(names = "--clients", defaultValue = "16", paramLabel = "N",
            description = "Closed-loop clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--keys", defaultValue = "10000", paramLabel = "K",
            description = "The fixed key space the clients spread over, which bounds the state"
                    + " (default: ${DEFAULT-VALUE}).")
    int keys;

    @Mixin
    DurableLogOption logOption;

    @Mixin
    ClusterBenchOptions options;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        RunHeader run = RunHeader.capture(spec); // before the replicas load the machine
        try (WorkDir work = WorkDir.create("bench-soak", out)) {
            ClusterConfig config = work.generateCluster(F, options.basePort, UnaryOperator.identity());
            List<SoakReport.Point> points = new ArrayList<>();
            long failed = 0;
            long unknown = 0;
            try (ReplicaProcesses replicas = ReplicaProcesses.start(config, work.path(),
                    ReplicaJvm.launch(ReplicaFootprint.COMPACT_EVERY_FULL_GC).withSync(logOption.sync()))) {
                replicas.awaitReady(ReplicaJvm.READY_TIMEOUT);
                points.add(measure(replicas, 0, Double.NaN, out));
                SecureRandom random = new SecureRandom();
                long seed = random.nextLong();
                long issued = 0;
                try (BenchClients pool = BenchClients.connect(config, clients, options.timeoutMillis, random)) {
                    for (int point = 1; point <= pointCount; point++) {
                        long upTo = requests * point / pointCount;
                        WorkloadResult part = WorkloadRunner.run(pool.targets(), Budget.ops(upTo - issued),
                                new WorkloadRunner.Settings("p" + point, seed + point, keys, OpMix.DEFAULT,
                                        options.timeoutMillis, false));
                        issued += part.issued();
                        failed += part.failed();
                        unknown += part.unknown();
                        points.add(measure(replicas, issued, part.throughputPerSecond(), out));
                    }
                }
            }
            SoakReport report = new SoakReport(run, setup(config), points, failed, unknown);
            Path file = BenchSupport.writeResults(options.output, "soak", report.markdown());
            out.println();
            report.memoryTable().forEach(out::println);
            out.println();
            report.diskTable().forEach(out::println);
            out.println();
            report.summary().forEach(out::println);
            out.println("results: " + file);
            work.deleteOnClose(report.allOk());
            return report.allOk() ? 0 : 1;
        }
    }

    /**
     * Every replica's progress and footprint after {@code issued} requests; fails, keeping the logs,
     * if a replica exited: the figures of a cluster that lost a replica say nothing of a long run.
     */
    private SoakReport.Point measure(ReplicaProcesses replicas, long issued, double opsPerSecond, PrintWriter out)
            throws IOException, InterruptedException {
        if (!replicas.allAlive()) {
            throw new IOException("a replica exited after " + issued + " requests\n" + replicas.describe(List.of()));
        }
        long lastExecuted = replicas.statuses().stream().filter(ReplicaStatus::reachable)
                .mapToLong(ReplicaStatus::lastExecuted).max().orElse(-1);
        List<ReplicaFootprint> footprints = new ArrayList<>();
        for (int id = 0; id < replicas.config().replicaCount(); id++) {
            footprints.add(ReplicaFootprint.measure(replicas, id));
        }
        SoakReport.Point point = new SoakReport.Point(issued, lastExecuted, opsPerSecond, footprints);
        out.printf(Locale.ROOT, "bench-soak: %d of %d requests (sequence %d)%s: heap after full GC %s MiB, data"
                        + " directory %s MiB%n", issued, requests, lastExecuted,
                Double.isNaN(opsPerSecond) ? "" : String.format(Locale.ROOT, ", %.0f ops/s", opsPerSecond),
                footprints.stream().map(f -> SoakReport.mib(f.heapAfterFullGcBytes())).collect(Collectors.joining(" / ")),
                footprints.stream().map(f -> SoakReport.mib(f.disk().totalBytes())).collect(Collectors.joining(" / ")));
        out.flush();
        return point;
    }

    private List<String> setup(ClusterConfig config) {
        return List.of(
                BenchSupport.clusterSetup("n = 4 replica processes (f = 1), each with a data directory and "
                        + ReplicaFootprint.COMPACT_EVERY_FULL_GC + " (a full GC leaves no dead objects behind)"),
                BenchSupport.protocolSetup(config.protocol(), config.clientRetransmitMillis()),
                BenchSupport.clientsSetup(keys, options.timeoutMillis),
                logOption.setup() + "; a snapshot every " + ReplicaStorage.DEFAULT_SNAPSHOT_EVERY
                        + " sequence numbers (the replicas' default), the log truncated behind it",
                String.format(Locale.ROOT, "run: %d requests from %d closed-loop clients (the same clients"
                                + " throughout), in %d equal parts; before the first and after each, the load stops"
                                + " and each replica is measured in turn", requests, clients, pointCount));
    }

    private void validate() {
        if (requests < 1 || pointCount < 1 || pointCount > requests) {
            throw usage("--requests must be at least 1 and --points between 1 and --requests, were " + requests
                    + " and " + pointCount);
        }
        if (clients < 1 || keys < 1) {
            throw usage("--clients and --keys must be at least 1, were " + clients + " and " + keys);
        }
        logOption.validate();
        options.validate(F);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
