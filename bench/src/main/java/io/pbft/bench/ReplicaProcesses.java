package io.pbft.bench;

import io.pbft.cli.KeygenCommand;
import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The replicas of a benchmark cluster, one operating-system process each, started from the same
 * jar (or class path) as this process with the {@code replica} command. Closing stops them all;
 * a shutdown hook does the same if this process is interrupted.
 */
final class ReplicaProcesses implements AutoCloseable {

    /**
     * Per replica JVM: a bounded heap, and the serial collector. Five JVMs share the cores here, and
     * the parallel collector's threads then contend with every other process: on 2 cores, two
     * alternating pairs of runs gave 9,503 and 8,725 ops/s at 32 clients with the serial collector
     * against 6,508 and 8,409 with the parallel one.
     */
    static final List<String> REPLICA_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC");

    /** How long a fresh cluster may take until every replica answers a status query. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static final long STOP_WAIT_MILLIS = 10_000;
    private static final long POLL_MILLIS = 200;

    private final List<Process> processes;
    private final List<Path> logs;
    /** Replicas stopped with SIGSTOP and not resumed yet; the shutdown hook's thread reads it too. */
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook;

    private ReplicaProcesses(List<Process> processes, List<Path> logs) {
        this.processes = List.copyOf(processes);
        this.logs = List.copyOf(logs);
        this.shutdownHook = new Thread(this::stopAll, "pbft-bench-stop-replicas");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts replica i of {@code config} for every i, with keys under {@code dir} and logs in {@code dir/logs}. */
    static ReplicaProcesses start(ClusterConfig config, Path dir) throws IOException {
        Path logDir = Files.createDirectories(dir.resolve("logs"));
        List<Process> started = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int id = 0; id < config.replicaCount(); id++) {
                Path log = logDir.resolve("replica-" + id + ".log");
                List<String> command = new ArrayList<>(javaCommand());
                command.addAll(List.of("replica", "--config", dir.resolve(KeygenCommand.CONFIG_FILE).toString(),
                        "--id", Integer.toString(id), "--key", KeygenCommand.keyFile(dir, id).toString()));
                started.add(new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
                logs.add(log);
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(Process::destroyForcibly);
            throw e;
        }
        return new ReplicaProcesses(started, logs);
    }

    /**
     * Extra replica JVM options, space-separated, for profiling a benchmark (for example
     * {@code -XX:StartFlightRecording=filename=/tmp/replica.jfr}); empty when unset.
     */
    static final String EXTRA_OPTIONS_VARIABLE = "PBFT_REPLICA_JAVA_OPTS";

    /** {@link #REPLICA_JVM_OPTIONS} followed by those of {@link #EXTRA_OPTIONS_VARIABLE}. */
    static List<String> replicaJvmOptions() {
        List<String> options = new ArrayList<>(REPLICA_JVM_OPTIONS);
        String extra = System.getenv(EXTRA_OPTIONS_VARIABLE);
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /** {@code java <options> -cp <this jar or class path> io.pbft.cli.PbftCli}. */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(replicaJvmOptions());
        command.add("-Dpbft.log.level=INFO");
        command.add("-cp");
        command.add(classPath());
        command.add("io.pbft.cli.PbftCli");
        return command;
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

    /**
     * Waits until every replica answers a status query, or fails when a process exits or
     * {@code timeout} passes.
     */
    void awaitReady(ClusterConfig config, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int id = 0; id < processes.size(); id++) {
                if (!processes.get(id).isAlive()) {
                    throw new IOException("replica " + id + " exited with code " + processes.get(id).exitValue()
                            + "; its log " + logs.get(id) + " ends with:\n" + tail(logs.get(id)));
                }
            }
            List<ReplicaStatus> statuses = StatusClient.query(config, Duration.ofSeconds(1));
            if (statuses.stream().allMatch(ReplicaStatus::reachable)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("replicas " + statuses.stream().filter(s -> !s.reachable())
                        .map(s -> Integer.toString(s.id())).collect(Collectors.joining(", "))
                        + " did not answer within " + timeout.toSeconds() + " s; logs in " + logs.get(0).getParent());
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /**
     * Stops replica {@code id} with SIGSTOP: it keeps its sockets and state but runs no more, as
     * a machine that hangs. Returns once the signal is sent; {@link #close} resumes it first.
     */
    void pause(int id) throws IOException, InterruptedException {
        paused.add(id);
        signal(id, "STOP");
    }

    /** Resumes a replica stopped with {@link #pause}, with SIGCONT. */
    void resume(int id) throws IOException, InterruptedException {
        signal(id, "CONT");
        paused.remove(id);
    }

    /** {@code kill -<name> <pid>}: Java can send only SIGTERM and SIGKILL itself. */
    private void signal(int id, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(processes.get(id).pid()))
                .redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " of replica " + id + " (pid " + processes.get(id).pid()
                    + ") failed with exit code " + kill.exitValue() + ": " + output);
        }
    }

    List<Path> logs() {
        return logs;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook stops the processes too, and stopping twice is harmless
        }
    }

    /**
     * SIGCONT to every paused replica (a stopped process does not act on SIGTERM), SIGTERM to every
     * replica, then a bounded wait, then SIGKILL for any that is still there.
     */
    private void stopAll() {
        for (int id : List.copyOf(paused)) {
            try {
                resume(id);
            } catch (IOException e) {
                // SIGKILL below ends it all the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Process process : processes) {
            try {
                long leftNanos = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(leftNanos, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For the report: the class path entry replicas run from, shortened to its file name. */
    static String describeClassPath() {
        String path = classPath();
        return path.contains(File.pathSeparator) ? "the build's class path" : Paths.get(path).getFileName().toString();
    }
}
