package io.pbft.cli;

import io.pbft.cli.workload.Budget;
import io.pbft.cli.workload.ClusterKv;
import io.pbft.cli.workload.HistoryWriter;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.PbftClient;
import io.pbft.config.ClusterConfig;
import io.pbft.transport.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pbft workload}: a closed-loop mixed workload against the cluster. */
@Command(name = "workload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a mixed key-value workload (get, put, compare-and-set, delete) with N closed-loop"
                + " clients, each its own PbftClient with a fresh identity and one request outstanding.",
                "Prints completed, failed and unknown operations, latency percentiles and throughput;"
                        + " exit code 1 if any operation failed or its outcome is unknown.",
                "With --history FILE, writes every operation as one JSON object per line (docs/history.md)."})
final class WorkloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "N",
            description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--ops", defaultValue = "1000", paramLabel = "M",
            description = "Operations in total, across all clients (default: ${DEFAULT-VALUE}).")
    long ops;

    @Option(names = "--keys", defaultValue = "16", paramLabel = "K",
            description = "Keys k0..k(K-1) the clients contend on (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--history", paramLabel = "FILE", description = "Write every operation to FILE as JSON lines.")
    Path history;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the operation mix (default: random, printed).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        validate();
        ClusterConfig config = cluster.load();
        SecureRandom random = new SecureRandom();
        long runSeed = seed != null ? seed : random.nextLong();
        String runId = newRunId(random);
        PrintWriter out = spec.commandLine().getOut();
        OpMix mix = OpMix.DEFAULT;
        out.printf(Locale.ROOT, "workload: %d clients, %d operations over %d keys (get %d%%, put %d%%, cas %d%%,"
                        + " delete %d%%), %d replicas (f = %d), seed %d, run %s%n", clients, ops, keys,
                mix.getPercent(), mix.putPercent(), mix.casPercent(), mix.deletePercent(), config.replicaCount(),
                config.f(), runSeed, runId);
        out.flush();
        WorkloadResult result = run(config, new WorkloadRunner.Settings(runId, runSeed, keys, mix,
                cluster.timeoutMillis(), history != null), random);
        result.describe().forEach(out::println);
        if (history != null) {
            long lines = HistoryWriter.write(history, result.history());
            out.println("history: " + history + " (" + lines + " operations)");
        }
        return result.allOk() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private WorkloadResult run(ClusterConfig config, WorkloadRunner.Settings settings, SecureRandom random)
            throws InterruptedException {
        List<ClusterKv> targets = new ArrayList<>(clients);
        try (Transport transport = PbftClient.newTransport(config)) {
            try {
                for (int i = 0; i < clients; i++) {
                    targets.add(ClusterKv.connect(config, settings.opTimeoutMillis(), random, transport));
                }
                return WorkloadRunner.run(targets, Budget.ops(ops), settings);
            } finally {
                targets.forEach(ClusterKv::close);
            }
        }
    }

    void validate() {
        if (clients < 1) {
            throw new ParameterException(spec.commandLine(), "--clients must be at least 1, was " + clients);
        }
        if (ops < 0) {
            throw new ParameterException(spec.commandLine(), "--ops must not be negative, was " + ops);
        }
        if (keys < 1) {
            throw new ParameterException(spec.commandLine(), "--keys must be at least 1, was " + keys);
        }
    }

    /** Eight hex digits: enough that two runs' values differ, short enough to read in a history. */
    static String newRunId(SecureRandom random) {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
