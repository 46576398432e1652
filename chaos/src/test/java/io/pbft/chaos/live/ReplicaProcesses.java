package io.pbft.chaos.live;

import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.node.Await;
import io.pbft.node.LocalCluster;
import io.pbft.node.ReplicaMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The replicas of one cluster on 127.0.0.1, each a JVM of its own running {@link ReplicaMain} from
 * this test's class path, as an operator runs them: key files, a config file, one log file each.
 * Faults are signals: {@link #pause} (SIGSTOP) freezes a replica as a long stop-the-world pause
 * would, its sockets open and its peers none the wiser; {@link #resume} (SIGCONT) lets it go on.
 *
 * <p>{@link #close} stops every process this started, paused ones too, and waits (bounded) for them.
 * Needs a {@code kill} command ({@link #signalsAvailable}).
 */
final class ReplicaProcesses implements AutoCloseable {

    /**
     * Small heaps and the serial collector: several JVMs share few cores (see bench/README.md). Each
     * collection is a line of the log, with the time of day: a pause of the replica's own shows there.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc:stdout:time");
    /** How often a wait on the replicas' status asks again. */
    static final Duration POLL = Duration.ofMillis(100);
    /** How long a status query waits for the replicas' answers; a paused one never answers. */
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(250);
    private static final long KILL_COMMAND_SECONDS = 10;
    private static final long STOP_SECONDS = 10;
    private static final int LOG_TAIL_LINES = 25;

    final ClusterConfig config;
    private final Path dir;
    private final Process[] processes;
    private final boolean[] paused;
    private volatile List<ReplicaStatus> lastStatuses = List.of();

    private ReplicaProcesses(ClusterConfig config, Path dir, Process[] processes) {
        this.config = config;
        this.dir = dir;
        this.processes = processes;
        this.paused = new boolean[processes.length];
    }

    /**
     * Starts {@code protocol.replicaCount()} replicas with fresh keys under {@code dir} and waits until
     * each answers a status query. Ports are probed free and then bound by the replicas; when one was
     * taken in between (a replica exits, unable to start), all start again on other ports.
     */
    static ReplicaProcesses start(Path dir, ReplicaConfig protocol) throws IOException {
        SecureRandom random = new SecureRandom();
        List<SigningKey> keys = new ArrayList<>();
        for (int id = 0; id < protocol.replicaCount(); id++) {
            SigningKey key = SigningKey.generate(random);
            KeyFile.replace(keyFile(dir, id), KeyIdentity.replica(id, key));
            keys.add(key);
        }
        // The default frame: a new view over this wide a window needs megabytes.
        return LocalCluster.startWithRetry(keys, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES,
                config -> launch(dir, config));
    }

    /** Whether this machine can pause and resume a process: Linux, with a {@code kill} command. */
    static boolean signalsAvailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            return kill("-0", ProcessHandle.current().pid()) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static ReplicaProcesses launch(Path dir, ClusterConfig config) throws IOException {
        Path configFile = dir.resolve("cluster.properties");
        config.write(configFile);
        Process[] processes = new Process[config.replicaCount()];
        ReplicaProcesses replicas = new ReplicaProcesses(config, dir, processes);
        try {
            for (int id = 0; id < processes.length; id++) {
                processes[id] = startJvm(dir, configFile, id);
            }
            Await.until(() -> replicas.anyExited() || replicas.allAnswer(), POLL,
                    () -> "every replica answering a status query\n" + replicas.describe());
            replicas.failIfAnyExited();
            return replicas;
        } catch (IOException | RuntimeException | Error e) {
            replicas.close();
            throw e;
        }
    }

    private static Process startJvm(Path dir, Path configFile, int id) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dlogback.configurationFile=" + logbackConfig());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReplicaMain.class.getName()));
        command.addAll(List.of("--config", configFile.toString(), "--id", Integer.toString(id),
                "--key", keyFile(dir, id).toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile(dir, id).toFile()).start();
        process.getOutputStream().close(); // it reads nothing
        return process;
    }

    /** The replicas log at INFO to their log files: not by this class path's logback-test.xml. */
    private static Path logbackConfig() {
        URL url = ReplicaProcesses.class.getResource("replica-logback.xml");
        if (url == null) {
            throw new IllegalStateException("replica-logback.xml is missing beside " + ReplicaProcesses.class);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is not a file", e);
        }
    }

    private static Path keyFile(Path dir, int id) {
        return dir.resolve("keys").resolve("replica-" + id + ".key");
    }

    private static Path logFile(Path dir, int id) {
        return dir.resolve("replica-" + id + ".log");
    }

    int size() {
        return processes.length;
    }

    /** Every replica's status, in replica order; a paused or slow one is unreachable. */
    List<ReplicaStatus> statuses() {
        List<ReplicaStatus> statuses = StatusClient.query(config, STATUS_TIMEOUT);
        lastStatuses = statuses;
        return statuses;
    }

    /**
     * Waits (bounded, asking every {@link #POLL}) until the replicas' statuses satisfy {@code condition},
     * and returns those statuses. Fails with what the replicas said last and their logs' tails.
     */
    List<ReplicaStatus> awaitStatuses(Predicate<List<ReplicaStatus>> condition, String what) {
        List<List<ReplicaStatus>> satisfied = new ArrayList<>(1);
        Await.until(() -> {
            List<ReplicaStatus> statuses = statuses();
            if (condition.test(statuses)) {
                satisfied.add(statuses);
                return true;
            }
            return false;
        }, POLL, () -> what + "\n" + describe());
        return satisfied.get(0);
    }

    /**
     * SIGSTOP: replica {@code id} stops where it is, its connections open, until {@link #resume}.
     * Returns once every thread of the process is stopped, not merely once the signal was sent.
     */
    void pause(int id) throws IOException {
        paused[id] = true; // before the signal: close() must resume it whatever happens next
        signal("-STOP", id);
        long pid = processes[id].pid();
        Await.until(() -> allThreadsStopped(pid), "every thread of replica " + id + " (pid " + pid + ") stopped");
    }

    /** Whether each thread of process {@code pid} is in state T (stopped by a signal), as /proc tells. */
    private static boolean allThreadsStopped(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.allMatch(task -> threadState(task) == 'T');
        } catch (IOException | UncheckedIOException e) {
            return false; // a thread ended while listed: look again
        }
    }

    /** The state letter of /proc/PID/task/TID/stat: after the command name, whose parentheses may hold ") ". */
    private static char threadState(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGCONT: paused replica {@code id} goes on where it stopped. */
    void resume(int id) throws IOException {
        signal("-CONT", id);
        paused[id] = false;
    }

    private void signal(String signal, int id) throws IOException {
        int exitCode = kill(signal, processes[id].pid());
        if (exitCode != 0) {
            throw new AssertionError("kill " + signal + " " + processes[id].pid() + " (replica " + id
                    + ") exited with " + exitCode + "\n" + describe());
        }
    }

    /** Runs {@code kill SIGNAL PID} and returns its exit code. */
    private static int kill(String signal, long pid) throws IOException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!kill.waitFor(KILL_COMMAND_SECONDS, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IOException("kill " + signal + " " + pid + " did not exit within " + KILL_COMMAND_SECONDS
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill.destroyForcibly();
            throw new IOException("interrupted while running kill " + signal + " " + pid, e);
        }
        return kill.exitValue();
    }

    /** Replica {@code id}'s log so far. */
    String log(int id) throws IOException {
        return Files.readString(logFile(dir, id), StandardCharsets.UTF_8);
    }

    boolean allAlive() {
        for (Process process : processes) {
            if (!process.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private boolean anyExited() {
        return !allAlive();
    }

    private boolean allAnswer() {
        return statuses().stream().allMatch(ReplicaStatus::reachable);
    }

    /**
     * A replica that exited with code 1 could not start, most likely because a port probed free was
     * taken meanwhile: an IOException, on which {@link LocalCluster#startWithRetry} tries other ports.
     */
    private void failIfAnyExited() throws IOException {
        for (int id = 0; id < processes.length; id++) {
            if (!processes[id].isAlive()) {
                String why = "replica " + id + " exited during start-up with code " + processes[id].exitValue()
                        + "\n" + describe();
                if (processes[id].exitValue() == 1) {
                    throw new IOException(why);
                }
                throw new AssertionError(why);
            }
        }
    }

    /** Each replica's process state, its last status and the tail of its log: for failure messages. */
    String describe() {
        StringBuilder text = new StringBuilder();
        List<ReplicaStatus> statuses = lastStatuses;
        for (int id = 0; id < processes.length; id++) {
            Process process = processes[id];
            String state = process == null ? "not started"
                    : process.isAlive() ? (paused[id] ? "paused" : "running") + ", pid " + process.pid()
                    : "exited with code " + process.exitValue();
            text.append("--- replica ").append(id).append(" (").append(state).append(")");
            if (id < statuses.size()) {
                text.append(": ").append(statuses.get(id));
            }
            text.append('\n');
            tail(id).forEach(line -> text.append("  ").append(line).append('\n'));
        }
        return text.toString();
    }

    private List<String> tail(int id) {
        try {
            List<String> lines = Files.readAllLines(logFile(dir, id), StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
    }

    /**
     * Stops every replica started: resumes the paused ones (a stopped process acts on no signal but
     * SIGKILL), asks all to stop (SIGTERM: the replica closes its node), waits, then kills the rest.
     */
    @Override
    public void close() {
        for (int id = 0; id < processes.length; id++) {
            if (processes[id] != null && paused[id]) {
                try {
                    resume(id);
                } catch (IOException | AssertionError e) {
                    // destroyForcibly (SIGKILL) below stops it all the same
                }
            }
        }
        for (Process process : processes) {
            if (process != null) {
                process.destroy();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
        for (Process process : processes) {
            if (process != null && !waitFor(process, deadline - System.nanoTime())) {
                process.destroyForcibly();
                waitFor(process, TimeUnit.SECONDS.toNanos(STOP_SECONDS));
            }
        }
    }

    private static boolean waitFor(Process process, long nanos) {
        try {
            return process.waitFor(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
