package io.pbft.bench;

import io.pbft.cli.KeygenCommand;
import io.pbft.cli.workload.OpMix;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.transport.IoFlavour;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the cluster benchmark commands share: free ports for a cluster, the command line a results
 * file names, the setup lines that describe the cluster, and where results files go.
 */
final class BenchSupport {

    private static final int PORT_ATTEMPTS = 20;
    /** How far the base port moves on while ports are taken; keep in step with the commands' help. */
    static final int PORT_STEP = 200;

    private BenchSupport() {}

    /**
     * The first base port from {@code basePort} on, in steps of {@link #PORT_STEP}, whose replica
     * and client ports for {@code replicaCount} replicas are all free.
     */
    static int findFreeBasePort(int basePort, int replicaCount) throws IOException {
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int base = basePort + attempt * PORT_STEP;
            if (base + KeygenCommand.CLIENT_PORT_OFFSET + replicaCount > 65_535) {
                break;
            }
            boolean free = true;
            for (int i = 0; i < replicaCount && free; i++) {
                free = isFree(base + i) && isFree(base + KeygenCommand.CLIENT_PORT_OFFSET + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free ports for " + replicaCount + " replicas from base port " + basePort);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fresh keys and a config for 3f + 1 replicas on 127.0.0.1 under {@code dir}, on the first free
     * ports from {@code basePort} on; {@code protocol} adjusts the library's default protocol settings.
     */
    static ClusterConfig generateCluster(Path dir, int f, int basePort, UnaryOperator<ReplicaConfig> protocol)
            throws IOException {
        int ports = findFreeBasePort(basePort, 3 * f + 1);
        ClusterConfig generated = KeygenCommand.generate(dir, f, "127.0.0.1", ports, null, false, new SecureRandom());
        ClusterConfig config = new ClusterConfig(generated.replicas(), protocol.apply(generated.protocol()),
                generated.maxFrameBytes(), generated.clientRetransmitMillis(), generated.listenerLimits());
        config.write(dir.resolve(KeygenCommand.CONFIG_FILE));
        return config;
    }

    /** What a benchmark prints before it starts the replicas of {@code config}, whose logs go to {@code dir/logs}. */
    static String startingLine(ClusterConfig config, Path dir) {
        int first = config.replica(0).port();
        return String.format(Locale.ROOT, "starting %d replica processes (f = %d) on 127.0.0.1:%d-%d, logs in %s",
                config.replicaCount(), config.f(), first, first + config.replicaCount() - 1, dir.resolve("logs"));
    }

    /**
     * A markdown table's first two lines: the column names, and the line under them that aligns
     * every column to the right (numbers; text reads well enough that way too).
     */
    static List<String> tableHead(String... columns) {
        StringBuilder names = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (String column : columns) {
            names.append(' ').append(column).append(" |");
            rule.append("-".repeat(column.length() + 1)).append(":|");
        }
        return List.of(names.toString(), rule.toString());
    }

    /**
     * The command as typed, for a results file: {@code scripts/pbft}, the subcommand's name (also
     * when the arguments came without it), then the arguments, quoted where the shell needs it.
     */
    static String commandText(CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder text = new StringBuilder("scripts/pbft");
        if (!args.contains(spec.name())) {
            text.append(' ').append(spec.name());
        }
        for (String arg : args) {
            text.append(' ').append(arg.matches("[A-Za-z0-9_./=,:-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return text.toString();
    }

    /**
     * The setup line on the replica processes, after {@code processes} (for example
     * {@code n = 4 replica processes (f = 1)}).
     */
    static String clusterSetup(String processes) {
        return String.format(Locale.ROOT, "cluster: %s on 127.0.0.1, one JVM each (%s), run from %s, key-value store"
                        + " service; sockets on %s (the first flavour that loads on this machine, see IoFlavour)",
                processes, String.join(" ", ReplicaJvm.replicaJvmOptions()),
                ReplicaJvm.describeClassPath(), IoFlavour.preferred().displayName());
    }

    /** The setup line on the protocol's settings. */
    static String protocolSetup(ReplicaConfig protocol, long clientRetransmitMillis) {
        return String.format(Locale.ROOT, "protocol: batch size %d, batch delay %d ms, up to %d batches in flight,"
                        + " window %d, checkpoint every %d, view-change timeout %d ms; client retransmit %d ms",
                protocol.batchSize(), protocol.batchDelayMillis(), protocol.maxInFlightBatches(),
                protocol.windowSize(), protocol.checkpointInterval(), protocol.viewChangeTimeoutMillis(),
                clientRetransmitMillis);
    }

    /** The setup line on the closed-loop clients and their operations: the default mix, gets read-only. */
    static String clientsSetup(int keys, long timeoutMillis) {
        return clientsSetup(keys, timeoutMillis, OpMix.DEFAULT, false);
    }

    /** The setup line on the closed-loop clients and their operations. */
    static String clientsSetup(int keys, long timeoutMillis, OpMix mix, boolean orderedGets) {
        return String.format(Locale.ROOT, "clients: closed loop, each its own PbftClient (fresh identity) with one"
                        + " request outstanding, all in the benchmark's JVM; operations over %d keys:"
                        + " get %d%% (%s), put %d%%, cas %d%%, delete %d%%, each accepted on 2f + 1 matching replies;"
                        + " client timeout %d ms", keys, mix.getPercent(),
                orderedGets ? "ordered" : "read-only, ordered when the replies do not agree", mix.putPercent(),
                mix.casPercent(), mix.deletePercent(), timeoutMillis);
    }

    /**
     * Writes {@code markdown} to {@code <prefix>-<date>-<time>.md} in {@code dirOrNull}, or in
     * {@link #defaultOutput()} when it is null, and returns the file.
     */
    static Path writeResults(Path dirOrNull, String prefix, String markdown) throws IOException {
        Path dir = dirOrNull != null ? dirOrNull : defaultOutput();
        Files.createDirectories(dir);
        String stamp = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path file = dir.resolve(prefix + "-" + stamp + ".md");
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        return file;
    }

    /** {@code bench/results} under the repository root that {@code scripts/pbft} names, else under the working directory. */
    static Path defaultOutput() {
        String home = System.getProperty("pbft.home");
        return (home == null || home.isBlank() ? Paths.get("") : Paths.get(home)).resolve("bench").resolve("results");
    }

    /** Deletes a temporary directory and what it holds, as far as it can. */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS cleans it up eventually
        }
    }
}
