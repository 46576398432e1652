package io.pbft.chaos.live;

import io.pbft.cli.KeygenCommand;
import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import io.pbft.node.ReplicaMain;
import io.pbft.storage.SyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The replicas of one cluster on this machine, each a JVM of its own running {@link ReplicaMain}, as
 * an operator runs them: the config file and key files of {@code pbft keygen} under one directory,
 * one log file each in its {@code logs/}, one data directory each in its {@code data/}. Faults are
 * signals: {@link #pause} (SIGSTOP) freezes a replica as a long stop-the-world pause would, its
 * sockets open and its peers none the wiser; {@link #resume} (SIGCONT) lets it go on; {@link #kill}
 * (SIGKILL) crashes it, and {@link #restart} starts it again on its data directory. Used by the
 * benchmarks and the live tests alike.
 *
 * <p>{@link #close} stops every process this started, paused ones too, and waits (bounded) for them;
 * a shutdown hook does the same if this JVM is interrupted. Pausing needs a {@code kill} command
 * ({@link #signalsAvailable}).
 */
public final class ReplicaProcesses implements AutoCloseable {

    /**
     * How to run a replica JVM: the class path it runs from (this process's jar, or a build's class
     * path), its JVM options (heap, collector, logging), how it keeps its log: synced per group
     * of records (as by default), unsynced, or not at all ({@code sync} null: in memory, and then it
     * cannot be restarted), and the service it runs ({@code service}, a class name for {@code
     * --service}; null for the key-value store); the replicas that misbehave on purpose; options
     * every replica gets ({@code replicaOptions}, as {@code --fault-control}); and per replica the
     * command its JVM runs under ({@code prefixes}, as {@code ip netns exec NS}).
     */
    public record Launch(String classPath, List<String> jvmOptions, SyncPolicy sync, String service,
            SortedMap<Integer, String> misbehaviours, List<String> replicaOptions,
            SortedMap<Integer, List<String>> prefixes) {
        public Launch {
            jvmOptions = List.copyOf(jvmOptions);
            misbehaviours = Collections.unmodifiableSortedMap(new TreeMap<>(misbehaviours));
            replicaOptions = List.copyOf(replicaOptions);
            prefixes = Collections.unmodifiableSortedMap(new TreeMap<>(prefixes));
        }

        public Launch(String classPath, List<String> jvmOptions, SyncPolicy sync) {
            this(classPath, jvmOptions, sync, null, new TreeMap<>(), List.of(), new TreeMap<>());
        }

        /** A replica that keeps its log as by default: synced per group of records. */
        public Launch(String classPath, List<String> jvmOptions) {
            this(classPath, jvmOptions, SyncPolicy.EVERY_BATCH);
        }

        public Launch withSync(SyncPolicy newSync) {
            return new Launch(classPath, jvmOptions, newSync, service, misbehaviours, replicaOptions, prefixes);
        }

        public Launch withService(String serviceClass) {
            return new Launch(classPath, jvmOptions, sync, serviceClass, misbehaviours, replicaOptions, prefixes);
        }

        /** Replica {@code id} misbehaves on purpose as {@code spec} says ({@code --misbehave}). */
        public Launch withMisbehaviour(int id, String spec) {
            SortedMap<Integer, String> more = new TreeMap<>(misbehaviours);
            more.put(id, spec);
            return new Launch(classPath, jvmOptions, sync, service, more, replicaOptions, prefixes);
        }

        /** Every replica gets {@code options} on its command line too. */
        public Launch withReplicaOptions(String... options) {
            List<String> more = new ArrayList<>(replicaOptions);
            more.addAll(List.of(options));
            return new Launch(classPath, jvmOptions, sync, service, misbehaviours, more, prefixes);
        }

        /** Replica {@code id}'s JVM runs under {@code command} ({@code ip netns exec NS}, say). */
        public Launch withPrefix(int id, List<String> command) {
            SortedMap<Integer, List<String>> more = new TreeMap<>(prefixes);
            more.put(id, List.copyOf(command));
            return new Launch(classPath, jvmOptions, sync, service, misbehaviours, replicaOptions, more);
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(500);
    /** How long the threads of a paused replica may take to show as stopped. */
    private static final Duration PAUSE_SETTLES = Duration.ofSeconds(5);
    private static final long KILL_COMMAND_SECONDS = 10;
    private static final long STOP_SECONDS = 10;
    private static final int LOG_TAIL_LINES = 25;

    private final ClusterConfig config;
    private final Path dir;
    private final Launch launch;
    private final Process[] processes;
    /** Replicas stopped with SIGSTOP and not resumed yet; the shutdown hook's thread reads it too. */
    private final boolean[] paused;
    private final Thread shutdownHook = new Thread(this::stopAll, "pbft-stop-replicas");

    private ReplicaProcesses(ClusterConfig config, Path dir, Launch launch, Process[] processes) {
        this.config = config;
        this.dir = dir;
        this.launch = launch;
        this.processes = processes;
        this.paused = new boolean[processes.length];
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Writes {@code config} to {@code dir} and starts replica i for every i, with its key at
     * {@link KeygenCommand#keyFile(Path, int)}. Returns at once: see {@link #awaitReady}.
     */
    public static ReplicaProcesses start(ClusterConfig config, Path dir, Launch launch) throws IOException {
        Path configFile = dir.resolve(KeygenCommand.CONFIG_FILE);
        config.write(configFile);
        Files.createDirectories(dir.resolve("logs"));
        Process[] processes = new Process[config.replicaCount()];
        ReplicaProcesses replicas = new ReplicaProcesses(config, dir, launch, processes);
        try {
            for (int id = 0; id < processes.length; id++) {
                processes[id] = replicas.startJvm(id);
            }
            return replicas;
        } catch (IOException | RuntimeException e) {
            replicas.close();
            throw e;
        }
    }

    /**
     * As {@link #start}, then {@link #awaitReady}: returns replicas that all answer, or stops them and
     * throws, so that a caller probing free ports (a port taken meanwhile makes a replica exit) can
     * try again on others.
     */
    public static ReplicaProcesses startReady(ClusterConfig config, Path dir, Launch launch, Duration ready)
            throws IOException {
        ReplicaProcesses started = start(config, dir, launch);
        try {
            started.awaitReady(ready);
            return started;
        } catch (IOException e) {
            started.close();
            throw e;
        }
    }

    /** Starts replica {@code id} on its data directory, its output appended to its log. */
    private Process startJvm(int id) throws IOException {
        List<String> command = new ArrayList<>(launch.prefixes().getOrDefault(id, List.of()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-cp", launch.classPath(), ReplicaMain.class.getName(),
                "--config", dir.resolve(KeygenCommand.CONFIG_FILE).toString(), "--id", Integer.toString(id),
                "--key", KeygenCommand.keyFile(dir, id).toString()));
        if (launch.sync() != null) {
            command.addAll(List.of("--data-dir", dataDirectory(id).toString(), "--sync", launch.sync().name()));
        }
        if (launch.service() != null) {
            command.addAll(List.of("--service", launch.service()));
        }
        if (launch.misbehaviours().containsKey(id)) {
            command.addAll(List.of("--misbehave", launch.misbehaviours().get(id)));
        }
        command.addAll(launch.replicaOptions());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(id).toFile())).start();
        process.getOutputStream().close(); // it reads nothing
        return process;
    }

    /** Where replica {@code id} keeps its log and snapshots across restarts. */
    public Path dataDirectory(int id) {
        return dir.resolve("data").resolve("replica-" + id);
    }

    /**
     * The process id of replica {@code id}'s JVM, for tools that attach to it (a benchmark reads its
     * heap with {@code jcmd} and {@code jstat}); a restarted replica has a new one.
     */
    public long pid(int id) {
        return processes[id].pid();
    }

    /** SIGKILL: replica {@code id} crashes where it is; returns once its process is gone. */
    public void kill(int id) throws IOException {
        Process process = processes[id];
        process.destroyForcibly();
        if (!waitFor(process, TimeUnit.SECONDS.toNanos(STOP_SECONDS))) {
            throw new IOException("replica " + id + " (pid " + process.pid() + ") is still there " + STOP_SECONDS
                    + " s after SIGKILL");
        }
        synchronized (paused) {
            paused[id] = false;
        }
    }

    /**
     * SIGTERM: replica {@code id} is asked to stop, as an operator stops it; returns its exit code
     * once its process is gone.
     *
     * @throws IOException if it is still there {@value #STOP_SECONDS} s later (it is then killed)
     */
    public int terminate(int id) throws IOException {
        Process process = processes[id];
        process.destroy();
        if (!waitFor(process, TimeUnit.SECONDS.toNanos(STOP_SECONDS))) {
            process.destroyForcibly();
            throw new IOException("replica " + id + " (pid " + process.pid() + ") is still there " + STOP_SECONDS
                    + " s after SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * Starts replica {@code id} again, after {@link #kill}, on its data directory and ports; returns
     * at once (see {@link #awaitReady}).
     *
     * @throws IllegalStateException if it is still running
     */
    public void restart(int id) throws IOException {
        if (launch.sync() == null) {
            throw new IllegalStateException("replica " + id + " keeps nothing on disk: restarted, it could"
                    + " contradict what it sent before");
        }
        if (processes[id].isAlive()) {
            throw new IllegalStateException("replica " + id + " is still running; kill it first");
        }
        processes[id] = startJvm(id);
    }

    /**
     * Waits until every replica answers a status query. Fails, with each replica's state and the
     * tail of its log, when one exits (most often because a port found free was taken meanwhile)
     * or when {@code timeout} passes.
     */
    public void awaitReady(Duration timeout) throws IOException {
        boolean ready = waitUntil(() -> !allAlive() || statuses().stream().allMatch(ReplicaStatus::reachable),
                timeout);
        if (!allAlive()) {
            throw new IOException("a replica exited during start-up\n" + describe(List.of()));
        }
        if (!ready) {
            throw new IOException("not every replica answered within " + timeout.toSeconds() + " s\n"
                    + describe(statuses()));
        }
    }

    public ClusterConfig config() {
        return config;
    }

    /** Every replica's status, in replica order; a paused or slow one is unreachable. */
    public List<ReplicaStatus> statuses() {
        return StatusClient.query(config, STATUS_TIMEOUT);
    }

    /**
     * SIGSTOP: replica {@code id} stops where it is, its connections open, until {@link #resume}.
     * Returns once every thread of the process shows as stopped (where /proc tells), not merely once
     * the signal was sent: a measurement that starts at the pause must not see it still answering.
     */
    public void pause(int id) throws IOException {
        synchronized (paused) {
            paused[id] = true; // before the signal: close() must resume it whatever happens next
        }
        signal("-STOP", id);
        long pid = processes[id].pid();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (Files.isDirectory(tasks) && !waitUntil(() -> allThreadsStopped(tasks), PAUSE_SETTLES)) {
            throw new IOException("replica " + id + " (pid " + pid + ") did not stop within "
                    + PAUSE_SETTLES.toSeconds() + " s of SIGSTOP");
        }
    }

    /** SIGCONT: paused replica {@code id} goes on where it stopped. */
    public void resume(int id) throws IOException {
        signal("-CONT", id);
        synchronized (paused) {
            paused[id] = false;
        }
    }

    /** Whether each thread under /proc/PID/task is in state T (stopped by a signal). */
    private static boolean allThreadsStopped(Path tasks) {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.allMatch(task -> threadState(task) == 'T');
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

    private void signal(String signal, int id) throws IOException {
        int exitCode = kill(signal, processes[id].pid());
        if (exitCode != 0) {
            throw new IOException("kill " + signal + " " + processes[id].pid() + " (replica " + id + ") exited with "
                    + exitCode);
        }
    }

    /** Runs {@code kill SIGNAL PID} (Java itself can send only SIGTERM and SIGKILL) and returns its exit code. */
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

    /** Whether this machine can pause and resume a process: Linux, with a {@code kill} command. */
    public static boolean signalsAvailable() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            return kill("-0", ProcessHandle.current().pid()) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public Path logFile(int id) {
        return dir.resolve("logs").resolve("replica-" + id + ".log");
    }

    /** Replica {@code id}'s log so far. */
    public String log(int id) throws IOException {
        return Files.readString(logFile(id), StandardCharsets.UTF_8);
    }

    public boolean allAlive() {
        for (Process process : processes) {
            if (process == null || !process.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Each replica's process state, its status in {@code statuses} if any, and its log's tail: for failure messages. */
    public String describe(List<ReplicaStatus> statuses) {
        StringBuilder text = new StringBuilder();
        for (int id = 0; id < processes.length; id++) {
            Process process = processes[id];
            String state = process == null ? "not started"
                    : process.isAlive() ? (isPaused(id) ? "paused" : "running") + ", pid " + process.pid()
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

    private boolean isPaused(int id) {
        synchronized (paused) {
            return paused[id];
        }
    }

    private List<String> tail(int id) {
        try {
            List<String> lines = Files.readAllLines(logFile(id), StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    private static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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
     * Resumes the paused replicas (a stopped process acts on no signal but SIGKILL), asks all to stop
     * (SIGTERM: the replica closes its node), waits, then kills the rest.
     */
    private void stopAll() {
        for (int id = 0; id < processes.length; id++) {
            if (processes[id] != null && isPaused(id)) {
                try {
                    resume(id);
                } catch (IOException e) {
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
