package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.history.HistoryChecker;
import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.chaos.check.history.HistoryReader;
import io.pbft.chaos.check.history.HistoryReport;
import io.pbft.chaos.check.history.Verdict;
import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.HistoryWriter;
import io.pbft.cli.workload.OpMix;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.cli.KeygenCommand;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.node.Await;
import io.pbft.node.LocalCluster;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Primary failover with real replica processes: four replicas (f = 1), each its own JVM, serve a
 * recorded workload from this JVM while the primary, replica 0, is paused with SIGSTOP. The other
 * three must vote it out and go on in a new view (view 1 under replica 1, or a later one should
 * that view change time out in turn); once resumed, replica 0 must follow them into it and catch
 * up from their logs. The clients' history, checked by the
 * project's own {@link HistoryChecker} as {@code pbft check-history} does, must be linearizable.
 *
 * <p>The window (2048 sequence numbers) is wide enough that the three go on for the seconds of the
 * pause without moving their low watermark past anything replica 0 still needs: there is no state
 * transfer yet. Every wait is on a condition with a deadline; the test prints (asserts nothing on)
 * how long the clients waited through the failover.
 */
class PrimaryFailoverLiveTest {

    private static final int REPLICAS = 4;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration READY = Duration.ofSeconds(60);
    private static final int PRIMARY = 0;
    private static final int CLIENTS = 4;
    private static final int KEYS = 16;
    /** Far longer than a failover: a client waits through it rather than giving up on its operation. */
    private static final long OP_TIMEOUT_MILLIS = 10_000;
    /** Settled before the pause: the JVMs have compiled the hot paths and the cluster is in its stride. */
    private static final long OPS_BEFORE_PAUSE = 1_000;
    /** Settled in the new view while the old primary is still paused. */
    private static final long OPS_IN_NEW_VIEW = 300;
    /** Issued after the old primary resumed: it catches up under load. */
    private static final long OPS_AFTER_RESUME = 1_000;
    /** A bound on the run, should a phase never end. */
    private static final long MAX_OPS = 50_000;
    /** Bound on the wait for the workload's end; the runner gives up on an operation after 21 s. */
    private static final Duration WORKLOAD_END = Duration.ofSeconds(60);

    /** Kept when the test fails: the replicas' logs, config and the history, for a post-mortem. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ReplicaProcesses replicas;

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

    /** The protocol as the replicas' config file gives it: a quick view change, invariants checked. */
    private static ReplicaConfig protocol() {
        return ReplicaConfig.defaults(REPLICAS, 0)
                .withWindow(2048, 128)
                .withViewChangeTimeout(1_000)
                .withInvariantChecks(true);
    }

    @Test
    void aPausedPrimaryIsVotedOutTheOthersGoOnLinearizablyAndItCatchesUpOnceResumed() throws Exception {
        replicas = start(dir, protocol());
        WorkloadRunner.Settings settings = settings(dir);
        Timeline timeline = new Timeline();
        WorkloadResult result;
        try (LiveWorkload workload = LiveWorkload.start(replicas.config(), CLIENTS, MAX_OPS, settings)) {
            awaitSettled(workload, OPS_BEFORE_PAUSE, "operations settled before the pause");
            replicas.pause(PRIMARY);
            timeline.pausedNanos = System.nanoTime();
            timeline.pausedAt = LocalTime.now();
            awaitStatuses(PrimaryFailoverLiveTest::othersWorkInANewView,
                    "replicas 1 to 3 in a view above 0, not changing view, while replica 0 is paused");
            timeline.newViewSeenNanos = System.nanoTime();
            awaitSettled(workload, workload.settled() + OPS_IN_NEW_VIEW, "operations settled in the new view");
            replicas.resume(PRIMARY);
            timeline.resumedNanos = System.nanoTime();
            workload.finishAfter(OPS_AFTER_RESUME);
            result = workload.result(WORKLOAD_END);
        }
        Path historyFile = dir.resolve("history.jsonl");
        HistoryWriter.write(historyFile, result.history());
        List<ReplicaStatus> end = awaitStatuses(PrimaryFailoverLiveTest::allAgree,
                "all four replicas in the same view, not changing view, with the same last executed and state");

        printFigures(result, timeline, end);
        assertHistory(historyFile, result);
        assertThat(end).extracting(ReplicaStatus::view).allMatch(view -> view >= 1);
        assertThat(end).extracting(ReplicaStatus::lastExecuted).containsOnly(end.get(0).lastExecuted());
        assertThat(end).extracting(ReplicaStatus::stateDigestHex).containsOnly(end.get(0).stateDigestHex());
        assertLogs(end.get(0).view());
    }

    /**
     * Four replica JVMs from this test's class path, with fresh keys under {@code dir}, each logging
     * at INFO to its file, ready to answer. Ports are probed free and then bound by the replicas;
     * when one was taken in between (a replica exits, unable to start), all start again on others.
     */
    private static ReplicaProcesses start(Path dir, ReplicaConfig protocol) throws IOException {
        SecureRandom random = new SecureRandom();
        List<SigningKey> keys = new ArrayList<>();
        for (int id = 0; id < protocol.replicaCount(); id++) {
            SigningKey key = SigningKey.generate(random);
            KeyFile.replace(KeygenCommand.keyFile(dir, id), KeyIdentity.replica(id, key));
            keys.add(key);
        }
        ReplicaProcesses.Launch launch = new ReplicaProcesses.Launch(System.getProperty("java.class.path"),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc:stdout:time",
                        "-Dlogback.configurationFile=" + replicaLogback()));
        // The default frame: a new view over this wide a window needs megabytes.
        return LocalCluster.startWithRetry(keys, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES, config -> {
            ReplicaProcesses replicas = ReplicaProcesses.start(config, dir, launch);
            try {
                replicas.awaitReady(READY);
                return replicas;
            } catch (IOException e) {
                replicas.close();
                throw e;
            }
        });
    }

    /** The replicas log at INFO to their log files (each GC too, with the time of day), not by logback-test.xml. */
    private static Path replicaLogback() {
        URL url = PrimaryFailoverLiveTest.class.getResource("replica-logback.xml");
        if (url == null) {
            throw new IllegalStateException("replica-logback.xml is missing beside " + PrimaryFailoverLiveTest.class);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is not a file", e);
        }
    }

    /** Waits (bounded) until the replicas' statuses satisfy {@code condition}; fails with what they said last. */
    private List<ReplicaStatus> awaitStatuses(Predicate<List<ReplicaStatus>> condition, String what) {
        AtomicReference<List<ReplicaStatus>> last = new AtomicReference<>(List.of());
        Await.until(() -> {
            last.set(replicas.statuses());
            return condition.test(last.get());
        }, POLL, () -> what + "\n" + replicas.describe(last.get()));
        return last.get();
    }

    private static WorkloadRunner.Settings settings(Path dir) {
        SecureRandom random = new SecureRandom();
        byte[] runId = new byte[4];
        random.nextBytes(runId);
        long seed = random.nextLong();
        // The operation mix's seed and the run id, to tell runs apart in reports; the replicas' timing
        // decides the run as much as the seed does, so there is no replay command.
        System.out.printf(Locale.ROOT, "PrimaryFailoverLiveTest: run %s, operation seed %d; logs, config and history"
                        + " in %s (kept if the test fails)%n", HexFormat.of().formatHex(runId), seed, dir);
        return new WorkloadRunner.Settings(HexFormat.of().formatHex(runId), seed, KEYS, OpMix.DEFAULT,
                OP_TIMEOUT_MILLIS, true);
    }

    private void awaitSettled(LiveWorkload workload, long count, String what) {
        Await.until(() -> workload.settled() >= count || workload.isDone(), POLL,
                () -> count + " " + what + ", " + workload.settled() + " so far\n" + replicas.describe(List.of()));
        assertThat(workload.isDone()).as("the workload ended before %d %s", count, what).isFalse();
    }

    /** Replicas 1 to 3 (replica 0 is paused) all work in one view above 0. */
    private static boolean othersWorkInANewView(List<ReplicaStatus> statuses) {
        List<ReplicaStatus> others = statuses.subList(PRIMARY + 1, statuses.size());
        return ReplicaStatus.workInOneView(others) && others.get(0).view() >= 1;
    }

    private static boolean allAgree(List<ReplicaStatus> statuses) {
        ReplicaStatus first = statuses.get(0);
        return ReplicaStatus.workInOneView(statuses) && statuses.stream().allMatch(s ->
                s.lastExecuted() == first.lastExecuted() && s.stateDigestHex().equals(first.stateDigestHex()));
    }

    /** Read back as {@code pbft check-history} reads it: no operation failed, most answered, linearizable. */
    private static void assertHistory(Path historyFile, WorkloadResult result) throws Exception {
        List<HistoryLine> lines = HistoryReader.read(historyFile);
        assertThat(lines).hasSize((int) result.issued());
        assertThat(lines).extracting(line -> line.entry().status()).isSubsetOf(OpStatus.OK, OpStatus.UNKNOWN);
        long ok = lines.stream().filter(line -> line.entry().status() == OpStatus.OK).count();
        assertThat(ok).as("operations answered of %d", lines.size())
                .isGreaterThanOrEqualTo(OPS_BEFORE_PAUSE + OPS_IN_NEW_VIEW + OPS_AFTER_RESUME - CLIENTS)
                .isGreaterThanOrEqualTo(lines.size() * 95L / 100);

        HistoryReport report = HistoryChecker.check(lines, HistoryChecker.DEFAULT_MAX_STEPS);

        assertThat(report.verdict()).as(String.join("\n", report.lines())).isEqualTo(Verdict.LINEARIZABLE);
    }

    /**
     * The view change as the replicas logged it (EffectsCarrier, at INFO): replicas 1 to 3 left view 0
     * for view 1, replica 0 entered the view the cluster ended in, and no replica logged an error (a
     * failed invariant check is one).
     */
    private void assertLogs(long finalView) throws Exception {
        for (int id = 0; id < REPLICAS; id++) {
            String log = replicas.log(id);
            if (id == PRIMARY) {
                assertThat(log).as("replica 0's log").contains("replica 0: entered view " + finalView + ",");
            } else {
                assertThat(log).as("replica %d's log", id)
                        .contains("replica " + id + ": leaving its view for view 1 (");
            }
            assertThat(log.lines()).as("replica %d's log", id)
                    .noneMatch(line -> line.contains(" ERROR ") || line.startsWith("Exception in thread"));
        }
        assertThat(replicas.allAlive()).as("every replica still running").isTrue();
    }

    /** When the faults happened, on the clock of the history ({@link System#nanoTime()}). */
    private static final class Timeline {
        /** Once every thread of replica 0 was seen stopped: from then on it orders nothing. */
        long pausedNanos;
        /** The same moment on the clock of the replicas' logs, to find it there. */
        LocalTime pausedAt;
        /** When a status query first found replicas 1 to 3 working in the new view. */
        long newViewSeenNanos;
        long resumedNanos;
    }

    /**
     * The failover as the clients saw it. An operation called after the pause can have been ordered
     * only in a view above 0 (only replica 0 proposes in view 0), so the first of them to be answered
     * bounds from above when the new view served its first operation.
     */
    private static void printFigures(WorkloadResult result, Timeline timeline, List<ReplicaStatus> end) {
        long longestAcross = 0;
        long longestElsewhere = 0;
        long firstCalledAfterPause = Long.MAX_VALUE;
        for (HistoryEntry entry : result.history()) {
            if (entry.status() != OpStatus.OK) {
                continue;
            }
            long latency = entry.retNanos() - entry.callNanos();
            if (entry.callNanos() < timeline.resumedNanos && entry.retNanos() > timeline.pausedNanos) {
                longestAcross = Math.max(longestAcross, latency);
            } else {
                longestElsewhere = Math.max(longestElsewhere, latency);
            }
            if (entry.callNanos() >= timeline.pausedNanos) {
                firstCalledAfterPause = Math.min(firstCalledAfterPause, entry.retNanos());
            }
        }
        // Figures for a reader of the test's output; nothing is asserted on them (timing varies).
        System.out.printf(Locale.ROOT, "PrimaryFailoverLiveTest: %s%n", String.join("; ", result.describe()));
        System.out.printf(Locale.ROOT, "PrimaryFailoverLiveTest: failover: longest operation while replica 0 was"
                        + " paused %d ms (elsewhere %d ms); pause to first answer of an operation called after it"
                        + " %d ms; pause to a status showing the new view %d ms; paused at %s for %d ms;"
                        + " ended in view %d%n",
                millis(longestAcross), millis(longestElsewhere), millis(firstCalledAfterPause - timeline.pausedNanos),
                millis(timeline.newViewSeenNanos - timeline.pausedNanos),
                timeline.pausedAt.format(LOG_TIME), millis(timeline.resumedNanos - timeline.pausedNanos),
                end.get(0).view());
        for (ReplicaStatus status : end) {
            System.out.printf(Locale.ROOT, "PrimaryFailoverLiveTest: replica %d: last executed %d, dropped and rejected"
                    + " %s%n", status.id(), status.lastExecuted(), status.counters());
        }
    }

    /** As the replicas' logs print the time of day (replica-logback.xml). */
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
