package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.history.HistoryChecker;
import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.chaos.check.history.HistoryReader;
import io.pbft.chaos.check.history.HistoryReport;
import io.pbft.chaos.check.history.Verdict;
import io.pbft.cli.KeygenCommand;
import io.pbft.cli.workload.HistoryWriter;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.testing.Await;
import io.pbft.node.LocalCluster;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the live tests share: four replica processes (f = 1) started from the test's class path
 * under a directory kept when the test fails, stopped after it; a closed-loop workload's settings;
 * bounded waits on the replicas' statuses and on the workload's progress; the checks of the recorded
 * history and of the replicas' logs. Pausing a replica needs signals: where there are none, the
 * tests are skipped.
 */
abstract class LiveClusterTest {

    static final int REPLICAS = 4;
    static final int CLIENTS = 4;
    static final int KEYS = 16;
    /** Far longer than a failover: a client waits through it rather than giving up on its operation. */
    static final long OP_TIMEOUT_MILLIS = 10_000;
    /** A bound on the run, should a phase never end. */
    static final long MAX_OPS = 50_000;
    /** Bound on the wait for the workload's end; the runner gives up on an operation after 21 s. */
    static final Duration WORKLOAD_END = Duration.ofSeconds(60);

    private static final Duration POLL = Duration.ofMillis(100);
    static final Duration READY = Duration.ofSeconds(60);

    /** Kept when the test fails: the replicas' logs, config and the history, for a post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    ReplicaProcesses replicas;

    @BeforeEach
    void requireSignals() {
        Assumptions.assumeTrue(ReplicaProcesses.signalsAvailable(),
                "pausing a replica needs SIGSTOP and SIGCONT through a `kill` command (Linux); not here");
    }

    @AfterEach
    void stopReplicas() {
        if (replicas != null) {
            replicas.close();
        }
    }

    /**
     * Starts the replica JVMs of {@code protocol} from this test's class path, with fresh keys under
     * {@link #dir}, each logging at INFO to its file, and waits until they answer. Ports are probed
     * free and then bound by the replicas; when one was taken in between (a replica exits, unable to
     * start), all start again on others.
     */
    void startReplicas(ReplicaConfig protocol) throws IOException {
        startReplicas(protocol, UnaryOperator.identity());
    }

    /** As {@link #startReplicas(ReplicaConfig)}, each replica running {@code serviceClass} ({@code --service}). */
    void startReplicas(ReplicaConfig protocol, String serviceClass) throws IOException {
        startReplicas(protocol, launch -> launch.withService(serviceClass));
    }

    /** As {@link #startReplicas(ReplicaConfig)}, with the launch {@code adjust} makes of the usual one. */
    void startReplicas(ReplicaConfig protocol, UnaryOperator<ReplicaProcesses.Launch> adjust) throws IOException {
        List<SigningKey> keys = writeKeys(protocol.replicaCount());
        ReplicaProcesses.Launch adjusted = adjust.apply(launch());
        // The default frame: a new view over a wide window needs megabytes.
        replicas = LocalCluster.startWithRetry(keys, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES,
                config -> ReplicaProcesses.startReady(config, dir, adjusted, READY));
    }

    /** Fresh keys for {@code count} replicas, written under {@link #dir} where the replicas read them. */
    List<SigningKey> writeKeys(int count) throws IOException {
        SecureRandom random = new SecureRandom();
        List<SigningKey> keys = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            SigningKey key = SigningKey.generate(random);
            KeyFile.replace(KeygenCommand.keyFile(dir, id), KeyIdentity.replica(id, key));
            keys.add(key);
        }
        return keys;
    }

    /** The usual replica JVMs: this test's class path, a small heap, logging at INFO to their files. */
    static ReplicaProcesses.Launch launch() {
        return new ReplicaProcesses.Launch(System.getProperty("java.class.path"),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc:stdout:time",
                        "-Dlogback.configurationFile=" + replicaLogback()));
    }

    /**
     * A small window with checkpoints every {@code checkpointInterval}, so that replicas soon leave a
     * stopped one's log behind; a quick view change; the core checking its invariants after every
     * input. The slow-primary defence is on, as by default: with four replica JVMs warming up on two
     * cores one backup may find its primary slow alone, and its complaint alone must not take it out
     * of the view (an earlier version, where a backup voted on its own measure, stranded it).
     */
    static ReplicaConfig smallWindow(int window, int checkpointInterval) {
        return ReplicaConfig.defaults(REPLICAS, 0)
                .withWindow(window, checkpointInterval)
                .withViewChangeTimeout(1_000)
                .withInvariantChecks(true);
    }

    /** The replicas log at INFO to their log files (each GC too, with the time of day), not by logback-test.xml. */
    static Path replicaLogback() {
        URL url = LiveClusterTest.class.getResource("replica-logback.xml");
        if (url == null) {
            throw new IllegalStateException("replica-logback.xml is missing beside " + LiveClusterTest.class);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is not a file", e);
        }
    }

    /**
     * A fresh run id and operation seed, printed with where the run's logs, config and history are
     * (kept if the test fails): the replicas' timing decides the run as much as the seed does, so
     * there is no replay command.
     */
    WorkloadRunner.Settings settings() {
        SecureRandom random = new SecureRandom();
        byte[] runId = new byte[4];
        random.nextBytes(runId);
        long seed = random.nextLong();
        System.out.printf(Locale.ROOT, "%s: run %s, operation seed %d; logs, config and history in %s (kept if the"
                + " test fails)%n", testName(), HexFormat.of().formatHex(runId), seed, dir);
        return new WorkloadRunner.Settings(HexFormat.of().formatHex(runId), seed, KEYS, OpMix.DEFAULT,
                OP_TIMEOUT_MILLIS, true);
    }

    /** The test's name, to begin the lines it prints. */
    String testName() {
        return getClass().getSimpleName();
    }

    /** Waits (bounded) until the replicas' statuses satisfy {@code condition}; fails with what they said last. */
    List<ReplicaStatus> awaitStatuses(Predicate<List<ReplicaStatus>> condition, String what) {
        AtomicReference<List<ReplicaStatus>> last = new AtomicReference<>(List.of());
        Await.until(() -> {
            last.set(replicas.statuses());
            return condition.test(last.get());
        }, POLL, () -> what + "\n" + replicas.describe(last.get()));
        return last.get();
    }

    /**
     * Waits (bounded) until {@code count} operations settled; fails if the workload ended first. The
     * runner gives an operation up only after twice its timeout, so within the bound, settled
     * operations are answered ones.
     */
    void awaitSettled(LiveWorkload workload, long count, String what) {
        Await.until(() -> workload.settled() >= count || workload.isDone(), POLL,
                () -> count + " " + what + ", " + workload.settled() + " so far\n" + replicas.describe(List.of()));
        assertThat(workload.isDone()).as("the workload ended before %d %s", count, what).isFalse();
    }

    /** Replicas 1 to 3 work in one view above 0, whatever replica 0 does: the primary of view 0 was voted out. */
    static boolean othersThanZeroWorkInANewView(List<ReplicaStatus> statuses) {
        List<ReplicaStatus> others = statuses.subList(1, statuses.size());
        return ReplicaStatus.workInOneView(others) && others.get(0).view() >= 1;
    }

    /** All four in one view, not changing view, with the same last executed and state. */
    static boolean allAgree(List<ReplicaStatus> statuses) {
        ReplicaStatus first = statuses.get(0);
        return ReplicaStatus.workInOneView(statuses) && statuses.stream().allMatch(s ->
                s.lastExecuted() == first.lastExecuted() && s.stateDigestHex().equals(first.stateDigestHex()));
    }

    /**
     * Writes the history to {@link #dir} and reads it back as {@code pbft check-history} does: every
     * operation issued is there, none failed (each answered or unknown, none lost), and it is
     * linearizable. Returns the lines, for the test's own counts.
     */
    List<HistoryLine> assertLinearizable(WorkloadResult result) throws Exception {
        Path historyFile = historyFile();
        HistoryWriter.write(historyFile, result.history());
        return assertLinearizable(historyFile, result.issued());
    }

    /** Where the run's history goes, under {@link #dir}. */
    Path historyFile() {
        return dir.resolve("history.jsonl");
    }

    /** As {@link #assertLinearizable(WorkloadResult)}, for a history another process wrote, of {@code issued} operations. */
    List<HistoryLine> assertLinearizable(Path historyFile, long issued) throws Exception {
        List<HistoryLine> lines = HistoryReader.read(historyFile);
        assertThat(lines).hasSize((int) issued);
        assertThat(lines).extracting(line -> line.entry().status()).isSubsetOf(OpStatus.OK, OpStatus.UNKNOWN);

        HistoryReport report = HistoryChecker.check(lines, HistoryChecker.DEFAULT_MAX_STEPS);

        assertThat(report.verdict()).as(String.join("\n", report.lines())).isEqualTo(Verdict.LINEARIZABLE);
        return lines;
    }

    /** Every replica still runs, and none logged an error (a failed invariant check is one). */
    void assertNoErrorLogged() throws IOException {
        for (int id = 0; id < replicas.config().replicaCount(); id++) {
            assertThat(replicas.log(id).lines()).as("replica %d's log", id)
                    .noneMatch(line -> line.contains(" ERROR ") || line.startsWith("Exception in thread"));
        }
        assertThat(replicas.allAlive()).as("every replica still running").isTrue();
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
