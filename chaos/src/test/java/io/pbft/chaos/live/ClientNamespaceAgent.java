package io.pbft.chaos.live;

import io.pbft.cli.workload.HistoryWriter;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The clients of {@link NetworkNamespacesLiveTest}, in a JVM of their own inside the client network
 * namespace: the test's JVM stays in the host's namespace, which holds no link to the replicas, so
 * this process talks to the cluster for it. It reads one command a line on stdin and answers each
 * with one line on stdout: {@code statuses} (every replica's, queried now), {@code start} (the
 * workload, {@link LiveWorkload}), {@code settled}, {@code finish N} (N more operations, then the
 * history is written to its file and the count issued answered). At the end of stdin, as when the
 * test's JVM is gone, it stops its clients and exits. The test's side is {@link Handle}.
 */
final class ClientNamespaceAgent {

    /** Begins every answer: anything else on stdout (a library's chatter) is not one. */
    private static final String ANSWER = "agent: ";
    private static final Duration STATUS_TIMEOUT = Duration.ofMillis(500);

    private final ClusterConfig config;
    private final Path historyFile;
    private final WorkloadRunner.Settings settings;
    private LiveWorkload workload;

    private ClientNamespaceAgent(ClusterConfig config, Path historyFile, WorkloadRunner.Settings settings) {
        this.config = config;
        this.historyFile = historyFile;
        this.settings = settings;
    }

    /** Arguments: the cluster's config file, the history file to write, the run id, the operation seed. */
    public static void main(String[] args) throws IOException, ConfigException {
        WorkloadRunner.Settings settings = new WorkloadRunner.Settings(args[2], Long.parseLong(args[3]),
                LiveClusterTest.KEYS, OpMix.DEFAULT, LiveClusterTest.OP_TIMEOUT_MILLIS, true);
        ClientNamespaceAgent agent = new ClientNamespaceAgent(ClusterConfig.load(Path.of(args[0])), Path.of(args[1]),
                settings);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = System.out;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(ANSWER + agent.answer(line.strip()));
                out.flush();
            }
        } finally {
            if (agent.workload != null) {
                agent.workload.close();
            }
        }
        // The clients' transport may leave non-daemon threads behind it: the test waits for this exit.
        System.exit(0);
    }

    private String answer(String command) {
        try {
            if (command.equals("statuses")) {
                return encode(StatusClient.query(config, STATUS_TIMEOUT));
            }
            if (command.equals("start") && workload == null) {
                workload = LiveWorkload.start(config, LiveClusterTest.CLIENTS, LiveClusterTest.MAX_OPS, settings);
                return "started";
            }
            if (command.equals("settled") && workload != null) {
                return workload.settled() + " " + (workload.isDone() ? "done" : "running");
            }
            if (command.startsWith("finish ") && workload != null) {
                workload.finishAfter(Long.parseLong(command.substring("finish ".length())));
                WorkloadResult result = workload.result(LiveClusterTest.WORKLOAD_END);
                HistoryWriter.write(historyFile, result.history());
                return Long.toString(result.issued());
            }
            return "error: unknown here: " + command;
        } catch (Exception e) {
            return "error: " + e;
        }
    }

    /** The statuses as the test reads them back: what its conditions look at, not the counters nor evidence. */
    private static String encode(List<ReplicaStatus> statuses) {
        return statuses.stream().map(s -> s.id() + "," + s.reachable() + "," + s.view() + "," + s.primary() + ","
                + s.changingView() + "," + s.needsState() + "," + s.lastExecuted() + ","
                + (s.stateDigestHex().isEmpty() ? "-" : s.stateDigestHex()) + "," + s.lowWatermark() + ","
                + s.highestSequence()).collect(Collectors.joining(" "));
    }

    private static List<ReplicaStatus> decode(String line) {
        List<ReplicaStatus> statuses = new ArrayList<>();
        for (String item : line.split(" ")) {
            String[] f = item.split(",");
            statuses.add(new ReplicaStatus(Integer.parseInt(f[0]), Boolean.parseBoolean(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), Boolean.parseBoolean(f[4]), Boolean.parseBoolean(f[5]),
                    Long.parseLong(f[6]), f[7].equals("-") ? "" : f[7], Long.parseLong(f[8]), new TreeMap<>(),
                    Long.parseLong(f[9])));
        }
        return statuses;
    }

    /** The test's side: the agent's process, started in a namespace, and its answers. */
    static final class Handle implements AutoCloseable {

        /** Long enough for a status query and a finish, whose wait {@link LiveClusterTest#WORKLOAD_END} bounds. */
        private static final Duration ANSWER_TIMEOUT = LiveClusterTest.WORKLOAD_END.plusSeconds(10);
        private static final long STOP_SECONDS = 10;

        private final Process process;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        private Handle(Process process) {
            this.process = process;
            Thread reader = new Thread(this::readAnswers, "client-agent-answers");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Starts the agent with {@code prefix} (the command that enters the client namespace) on the
         * cluster's {@code configFile}, its stderr appended to {@code log}; it writes the history to
         * {@code historyFile}.
         */
        static Handle start(List<String> prefix, Path configFile, Path historyFile, Path log,
                WorkloadRunner.Settings settings) throws IOException {
            List<String> command = new ArrayList<>(prefix);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=" + LiveClusterTest.replicaLogback(),
                    "-cp", System.getProperty("java.class.path"), ClientNamespaceAgent.class.getName(),
                    configFile.toString(), historyFile.toString(), settings.runId(), Long.toString(settings.seed())));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new Handle(process);
        }

        private void readAnswers() {
            try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith(ANSWER)) {
                        answers.add(line.substring(ANSWER.length()));
                    }
                }
            } catch (IOException e) {
                // the agent is gone: ask() then reports no answer
            }
        }

        /** Every replica's status, as the agent's query found them now. */
        List<ReplicaStatus> statuses() throws IOException, InterruptedException {
            return decode(ask("statuses"));
        }

        void startWorkload() throws IOException, InterruptedException {
            ask("start");
        }

        /** As {@link LiveWorkload#settled()}, or -1 once the workload ended. */
        long settled() throws IOException, InterruptedException {
            String[] answer = ask("settled").split(" ");
            return answer[1].equals("done") ? -1 : Long.parseLong(answer[0]);
        }

        /** {@code moreOps} more operations, then the history in its file; returns how many were issued in all. */
        long finishAfter(long moreOps) throws IOException, InterruptedException {
            return Long.parseLong(ask("finish " + moreOps));
        }

        private synchronized String ask(String command) throws IOException, InterruptedException {
            if (!process.isAlive()) {
                throw new IOException("the client agent exited (" + process.exitValue() + ") before: " + command);
            }
            process.outputWriter(StandardCharsets.UTF_8).append(command).append('\n').flush();
            String answer = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new IOException("the client agent gave no answer to " + command + " within "
                        + ANSWER_TIMEOUT.toSeconds() + " s");
            }
            if (answer.startsWith("error: ")) {
                throw new IOException("the client agent, asked " + command + ", said " + answer);
            }
            return answer;
        }

        /** Ends stdin, so that the agent closes its clients and exits; kills it if it has not in a while. */
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
