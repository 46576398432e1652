package io.pbft.bench;

import io.pbft.chaos.live.ReplicaProcesses;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How the benchmarks run each replica: from this jar, in a JVM sized for several on few cores. */
final class ReplicaJvm {

    /**
     * Per replica JVM: a bounded heap, and the serial collector. Five JVMs share the cores here, and
     * the parallel collector's threads then contend with every other process: on 2 cores, two
     * alternating pairs of runs gave 9,503 and 8,725 ops/s at 32 clients with the serial collector
     * against 6,508 and 8,409 with the parallel one.
     */
    static final List<String> REPLICA_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC");

    /** How long a fresh cluster may take until every replica answers a status query. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Extra replica JVM options, space-separated, for profiling a benchmark (for example
     * {@code -XX:StartFlightRecording=filename=/tmp/replica.jfr}); empty when unset.
     */
    static final String EXTRA_OPTIONS_VARIABLE = "PBFT_REPLICA_JAVA_OPTS";

    private ReplicaJvm() {}

    /**
     * From this jar, with {@link #replicaJvmOptions()} and then {@code measurementOptions} (what a
     * benchmark needs to measure the replicas, not to run them), logging at INFO (the jar's
     * logback.xml reads the level).
     */
    static ReplicaProcesses.Launch launch(String... measurementOptions) {
        List<String> options = new ArrayList<>(replicaJvmOptions());
        options.addAll(List.of(measurementOptions));
        options.add("-Dpbft.log.level=INFO");
        return new ReplicaProcesses.Launch(classPath(), options);
    }

    /** {@link #REPLICA_JVM_OPTIONS} followed by those of {@link #EXTRA_OPTIONS_VARIABLE}. */
    static List<String> replicaJvmOptions() {
        List<String> options = new ArrayList<>(REPLICA_JVM_OPTIONS);
        String extra = System.getenv(EXTRA_OPTIONS_VARIABLE);
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    private static String classPath() {
        try {
            Path source = Paths.get(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(source) && source.toString().endsWith(".jar")) {
                return source.toString();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall back to the class path this JVM was started with
        }
        return System.getProperty("java.class.path");
    }

    /** For the report: the class path entry replicas run from, shortened to its file name. */
    static String describeClassPath() {
        String path = classPath();
        return path.contains(File.pathSeparator) ? "the build's class path" : Paths.get(path).getFileName().toString();
    }
}
