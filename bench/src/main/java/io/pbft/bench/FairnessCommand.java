package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft bench-fairness}: issue 10's flood fairness and resource figures on four replica
 * processes. First, one well-behaved closed-loop client's latency in quiet phases and in phases
 * where a hostile client floods the primary with signed requests, another with handshakes, or both,
 * alternating quiet and flood so that the machine's other load falls on both alike. Then each of the
 * issue's floods in turn against the primary, its heap and descriptors measured during the flood and
 * after it. Records both in {@code bench/results/fairness-<stamp>.md}.
 */
@Command(name = "bench-fairness", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Flood fairness benchmark: starts 4 replica processes (f = 1) on 127.0.0.1 and measures one"
                + " well-behaved client's latency quiet and while hostile clients (from 127.0.0.2) flood the primary"
                + " with signed requests, with handshakes of fresh identities, or both; quiet and flood phases"
                + " alternate for --rounds rounds. Prints each flood's median and p99 against the quiet ones.",
                "Then floods the primary with idle connections, pre-handshake partial frames, short-lived clients"
                        + " and requests in turn, and measures its heap after a full GC and its open descriptors"
                        + " during each flood and after it. Records all in bench/results/fairness-<stamp>.md."})
public final class FairnessCommand implements Callable<Integer> {

    private static final int F = 1;
    /** The primary of view 0, which every flood targets: every request passes through it. */
    private static final int PRIMARY = 0;
    /** Status queries to the primary before its counters count as unknown (each waits for the client's timeout). */
    private static final int STATUS_ATTEMPTS = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Rounds of quiet/flood pairs, one pair per flood kind each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--phase-seconds", defaultValue = "6", paramLabel = "S",
            description = "Length of each quiet or flood phase (default: ${DEFAULT-VALUE}).")
    int phaseSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "10", paramLabel = "S",
            description = "Unmeasured load before the first phase, for the replicas' JIT (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--flood-requests", defaultValue = "600000", paramLabel = "N",
            description = "Requests the request flooder signs before the run and spreads over its floods"
                    + " (default: ${DEFAULT-VALUE}); once they run out, it goes on with requests whose signatures"
                + " do not verify, and the results say how many.")
    int floodRequests;

    @Option(names = "--handshake-threads", defaultValue = "2", paramLabel = "N",
            description = "Threads of the handshake flooder, each one handshake after another (default: ${DEFAULT-VALUE}).")
    int handshakeThreads;

    @Option(names = "--connections", defaultValue = "2000", paramLabel = "N",
            description = "Connections of the idle connection flood and of the pre-handshake flood"
                    + " (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--keys", defaultValue = "1000", paramLabel = "K",
            description = "Keys the well-behaved client spreads over (default: ${DEFAULT-VALUE}).")
    int keys;

    @Mixin
    ClusterBenchOptions options;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        RunHeader run = RunHeader.capture(spec);
        SecureRandom random = new SecureRandom();
        out.println("bench-fairness: signing " + floodRequests + " requests for the request flooder");
        out.flush();
        PresignedRequests presigned = PresignedRequests.sign(floodRequests, random);
        try (WorkDir work = WorkDir.create("bench-fairness", out)) {
            ClusterConfig config = work.generateCluster(F, options.basePort, UnaryOperator.identity());
            FairnessReport report;
            try (ReplicaProcesses replicas = ReplicaProcesses.start(config, work.path(),
                    ReplicaJvm.launch(ReplicaFootprint.COMPACT_EVERY_FULL_GC))) {
                replicas.awaitReady(ReplicaJvm.READY_TIMEOUT);
                List<FairnessReport.Phase> phases = latencyPhases(replicas, presigned, random, out);
                List<FairnessReport.Footprint> footprints = footprints(replicas, presigned, out);
                report = new FairnessReport(run, setup(config), phases, footprints, presigned.signed(), presigned.badlySignedHandedOut());
            }
            Path file = BenchSupport.writeResults(options.output, "fairness", report.markdown());
            out.println();
            report.latencyTable().forEach(out::println);
            out.println();
            report.footprintTable().forEach(out::println);
            out.println("results: " + file);
            work.deleteOnClose(report.allOk());
            return report.allOk() ? 0 : 1;
        }
    }

    /** The load of a flood phase: what floods run beside the well-behaved client. */
    enum Load {
        QUIET("quiet"), REQUESTS("request flood"), HANDSHAKES("handshake flood"), BOTH("both floods");

        final String title;

        Load(String title) {
            this.title = title;
        }
    }

    private List<FairnessReport.Phase> latencyPhases(ReplicaProcesses replicas, PresignedRequests presigned,
            SecureRandom random, PrintWriter out) throws IOException, InterruptedException {
        ClusterConfig config = replicas.config();
        Map<Load, Histogram> latency = new EnumMap<>(Load.class);
        Map<Load, long[]> counts = new EnumMap<>(Load.class); // operations, failed or unknown, flood actions, flood failures
        Map<Load, SortedMap<String, Long>> counters = new EnumMap<>(Load.class);
        // Each flood phase's median over the quiet phase just before it: the machine's other load
        // drifts over minutes, and neighbours share more of it than the pooled phases do.
        Map<Load, List<Double>> pairRatios = new EnumMap<>(Load.class);
        long seed = random.nextLong();
        try (BenchClients honest = BenchClients.connect(config, 1, options.timeoutMillis, random)) {
            out.println("bench-fairness: warming up for " + warmupSeconds + " s");
            out.flush();
            runClient(honest, "warmup", seed, warmupSeconds);
            for (int round = 1; round <= rounds; round++) {
                for (Load flood : List.of(Load.REQUESTS, Load.HANDSHAKES, Load.BOTH)) {
                    long quietMedianNanos = 0;
                    for (Load load : List.of(Load.QUIET, flood)) {
                        SortedMap<String, Long> before = primaryCounters(replicas);
                        List<Flood> floods = startFloods(load, config, presigned);
                        WorkloadResult result;
                        try {
                            result = runClient(honest, load.name() + round, seed + round, phaseSeconds);
                        } finally {
                            for (Flood f : floods) {
                                f.close();
                            }
                        }
                        latency.computeIfAbsent(load, l -> new Histogram(3)).add(result.latency());
                        long medianNanos = result.latencySummary().p50Nanos();
                        if (load == Load.QUIET) {
                            quietMedianNanos = medianNanos;
                        } else if (quietMedianNanos > 0) {
                            pairRatios.computeIfAbsent(load, l -> new ArrayList<>())
                                    .add((double) medianNanos / quietMedianNanos);
                        }
                        long[] c = counts.computeIfAbsent(load, l -> new long[4]);
                        c[0] += result.ok();
                        c[1] += result.failed() + result.unknown();
                        c[2] += floods.stream().mapToLong(Flood::done).sum();
                        c[3] += floods.stream().mapToLong(Flood::failures).sum();
                        addDifference(counters.computeIfAbsent(load, l -> new TreeMap<>()), before,
                                primaryCounters(replicas));
                        out.printf(Locale.ROOT, "bench-fairness: round %d, %s: %s; flood %s%n", round, load.title,
                                result.latencySummary().describe(), describe(floods));
                        out.flush();
                    }
                }
            }
        }
        List<FairnessReport.Phase> phases = new ArrayList<>();
        for (Load load : Load.values()) {
            long[] c = counts.get(load);
            phases.add(new FairnessReport.Phase(load.title, latency.get(load), c[0], c[1], c[2], c[3],
                    counters.get(load), pairRatios.getOrDefault(load, List.of())));
        }
        return phases;
    }

    private List<Flood> startFloods(Load load, ClusterConfig config, PresignedRequests presigned) {
        List<Flood> floods = new ArrayList<>();
        if (load == Load.REQUESTS || load == Load.BOTH) {
            floods.add(Flood.requests(config, PRIMARY, presigned, options.timeoutMillis));
        }
        if (load == Load.HANDSHAKES || load == Load.BOTH) {
            floods.add(Flood.handshakes(config, PRIMARY, handshakeThreads, options.timeoutMillis));
        }
        return floods;
    }

    private WorkloadResult runClient(BenchClients client, String id, long seed, int seconds)
            throws InterruptedException {
        return WorkloadRunner.run(client.targets(), Budget.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)),
                new WorkloadRunner.Settings(id, seed, keys, OpMix.DEFAULT, options.timeoutMillis, false));
    }

    /**
     * The primary's heap and descriptors before any flood, then during and after each of issue 10's
     * floods: each runs for a phase, is measured while it still runs, stopped, and measured again.
     */
    private List<FairnessReport.Footprint> footprints(ReplicaProcesses replicas, PresignedRequests presigned,
            PrintWriter out) throws IOException, InterruptedException {
        ClusterConfig config = replicas.config();
        List<FairnessReport.Footprint> footprints = new ArrayList<>();
        footprints.add(new FairnessReport.Footprint("none", "before the floods", 0, 0,
                ReplicaFootprint.measure(replicas, PRIMARY)));
        for (Flood.Kind kind : Flood.Kind.values()) {
            Flood flood = switch (kind) {
                case REQUESTS -> Flood.requests(config, PRIMARY, presigned, options.timeoutMillis);
                case HANDSHAKES -> Flood.handshakes(config, PRIMARY, handshakeThreads, options.timeoutMillis);
                case CONNECTIONS -> Flood.idleConnections(config, PRIMARY, connections, options.timeoutMillis);
                case PRE_HANDSHAKE -> Flood.preHandshake(config, PRIMARY, connections, options.timeoutMillis);
            };
            ReplicaFootprint during;
            try {
                TimeUnit.SECONDS.sleep(phaseSeconds);
                during = ReplicaFootprint.measure(replicas, PRIMARY);
            } finally {
                flood.close();
            }
            footprints.add(new FairnessReport.Footprint(kind.title, "during", flood.done(), flood.failures(), during));
            // Closed connections leave the replica at once; a second for the event loops to notice.
            TimeUnit.SECONDS.sleep(1);
            footprints.add(new FairnessReport.Footprint(kind.title, "after", flood.done(), flood.failures(),
                    ReplicaFootprint.measure(replicas, PRIMARY)));
            out.printf(Locale.ROOT, "bench-fairness: %s: %d %s, %d failed; primary during %s, after %s%n", kind.title,
                    flood.done(), kind.unit, flood.failures(), FairnessReport.describe(during),
                    FairnessReport.describe(footprints.get(footprints.size() - 1).replica()));
            out.flush();
            if (!replicas.allAlive()) {
                throw new IOException("a replica exited during the " + kind.title + "\n" + replicas.describe(List.of()));
            }
        }
        return footprints;
    }

    /**
     * The primary's counters, once it answers a status query: right after a flood it may still be
     * working through what the flood left in its socket buffers, and the next phase should not
     * start until it has. Empty if it never answered.
     */
    private static SortedMap<String, Long> primaryCounters(ReplicaProcesses replicas) {
        for (int attempt = 0; attempt < STATUS_ATTEMPTS; attempt++) {
            ReplicaStatus primary = replicas.statuses().get(PRIMARY);
            if (primary.reachable()) {
                return primary.counters();
            }
        }
        return new TreeMap<>();
    }

    private static void addDifference(SortedMap<String, Long> sum, SortedMap<String, Long> before,
            SortedMap<String, Long> after) {
        after.forEach((name, value) -> sum.merge(name, value - before.getOrDefault(name, 0L), Long::sum));
    }

    private static String describe(List<Flood> floods) {
        if (floods.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Flood flood : floods) {
            parts.add(flood.done() + " " + flood.kind().unit + " (" + flood.failures() + " failed)");
        }
        return String.join(", ", parts);
    }

    private List<String> setup(ClusterConfig config) {
        return List.of(
                BenchSupport.clusterSetup("n = 4 replica processes (f = 1), in memory, "
                        + ReplicaFootprint.COMPACT_EVERY_FULL_GC),
                BenchSupport.protocolSetup(config.protocol(), config.clientRetransmitMillis()),
                BenchSupport.clientsSetup(keys, options.timeoutMillis).replace("clients: closed loop",
                        "well-behaved client: one, closed loop"),
                String.format(Locale.ROOT, "client port limits: %s", config.listenerLimits()),
                String.format(Locale.ROOT, "latency: %d s warm-up, then %d rounds of quiet/request flood,"
                                + " quiet/handshake flood, quiet/both floods, %d s each phase; every flood targets the"
                                + " primary (replica %d) from %s", warmupSeconds, rounds, phaseSeconds, PRIMARY,
                        FloodSocket.FLOOD_ADDRESS),
                String.format(Locale.ROOT, "request flooder: one client, connected to all 4 replicas, sends requests"
                        + " signed before the run (%d, then requests with bad signatures; timestamps rising) to the"
                        + " primary without waiting,"
                        + " reading and dropping replies; handshake flooder: %d threads, each connect, full handshake"
                        + " under a fresh identity, close, again", floodRequests, handshakeThreads),
                String.format(Locale.ROOT, "footprint floods, %d s each against the primary: idle connections (%d"
                                + " opened), pre-handshake (%d connections each announcing a %d-byte frame and"
                                + " sending %d bytes of it), short-lived clients (the handshake flooder), requests",
                        phaseSeconds, connections, connections, config.maxFrameBytes(), Flood.PRE_HANDSHAKE_SEND_BYTES));
    }

    private void validate() {
        if (rounds < 1 || phaseSeconds < 1 || warmupSeconds < 0) {
            throw usage("--rounds and --phase-seconds must be at least 1 and --warmup-seconds at least 0");
        }
        if (floodRequests < 1 || handshakeThreads < 1 || connections < 1 || keys < 1) {
            throw usage("--flood-requests, --handshake-threads, --connections and --keys must be at least 1");
        }
        options.validate(F);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
