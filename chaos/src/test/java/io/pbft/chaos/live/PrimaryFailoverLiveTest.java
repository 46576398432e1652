package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.history.HistoryChecker;
import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.ReplicaStatus;
import io.pbft.core.ReplicaConfig;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Primary failover with real replica processes: four replicas (f = 1), each its own JVM, serve a
 * recorded workload from this JVM while the primary, replica 0, is paused with SIGSTOP. The other
 * three must vote it out and go on in a new view (view 1 under replica 1, or a later one should
 * that view change time out in turn); once resumed, replica 0 must follow them into it and catch
 * up from their logs. The clients' history, checked by the
 * project's own {@link HistoryChecker} as {@code pbft check-history} does, must be linearizable.
 *
 * <p>The window (2048 sequence numbers) is wide enough that the three go on for the seconds of the
 * pause without moving their low watermark past anything replica 0 still needs: it catches up
 * from their logs, not by state transfer ({@link BackupCatchUpLiveTest} has a replica fall out of
 * their window). Every wait is on a condition with a deadline; the test prints (asserts nothing on)
 * how long the clients waited through the failover.
 */
class PrimaryFailoverLiveTest extends LiveClusterTest {

    private static final int PRIMARY = 0;
    /** Settled before the pause: the JVMs have compiled the hot paths and the cluster is in its stride. */
    private static final long OPS_BEFORE_PAUSE = 1_000;
    /** Settled in the new view while the old primary is still paused. */
    private static final long OPS_IN_NEW_VIEW = 300;
    /** Issued after the old primary resumed: it catches up under load. */
    private static final long OPS_AFTER_RESUME = 1_000;

    /** The protocol as the replicas' config file gives it: a quick view change, invariants checked. */
    private static ReplicaConfig protocol() {
        return ReplicaConfig.defaults(REPLICAS, 0)
                .withWindow(2048, 128)
                .withViewChangeTimeout(1_000)
                .withInvariantChecks(true);
    }

    @Test
    void aPausedPrimaryIsVotedOutTheOthersGoOnLinearizablyAndItCatchesUpOnceResumed() throws Exception {
        startReplicas(protocol());
        WorkloadRunner.Settings settings = settings();
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
            awaitSettled(workload, workload.settled() + OPS_IN_NEW_VIEW,
                    "operations settled in the new view");
            replicas.resume(PRIMARY);
            timeline.resumedNanos = System.nanoTime();
            workload.finishAfter(OPS_AFTER_RESUME);
            result = workload.result(WORKLOAD_END);
        }
        List<ReplicaStatus> end = awaitStatuses(LiveClusterTest::allAgree,
                "all four replicas in the same view, not changing view, with the same last executed and state");

        printFigures(result, timeline, end);
        assertHistory(result);
        assertThat(end).extracting(ReplicaStatus::view).allMatch(view -> view >= 1);
        assertThat(end).extracting(ReplicaStatus::lastExecuted).containsOnly(end.get(0).lastExecuted());
        assertThat(end).extracting(ReplicaStatus::stateDigestHex).containsOnly(end.get(0).stateDigestHex());
        assertLogs(end.get(0).view());
    }

    /** Replicas 1 to 3 (replica 0 is paused) all work in one view above 0. */
    private static boolean othersWorkInANewView(List<ReplicaStatus> statuses) {
        List<ReplicaStatus> others = statuses.subList(PRIMARY + 1, statuses.size());
        return ReplicaStatus.workInOneView(others) && others.get(0).view() >= 1;
    }

    /** No operation failed, most were answered, and the history is linearizable. */
    private void assertHistory(WorkloadResult result) throws Exception {
        List<HistoryLine> lines = assertLinearizable(result);
        long ok = lines.stream().filter(line -> line.entry().status() == OpStatus.OK).count();
        assertThat(ok).as("operations answered of %d", lines.size())
                .isGreaterThanOrEqualTo(OPS_BEFORE_PAUSE + OPS_IN_NEW_VIEW + OPS_AFTER_RESUME - CLIENTS)
                .isGreaterThanOrEqualTo(lines.size() * 95L / 100);
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
        }
        assertNoErrorLogged();
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

}
