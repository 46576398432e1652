package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.workload.WorkloadResult;
import io.pbft.cli.workload.WorkloadRunner;
import io.pbft.client.KvClient;
import io.pbft.client.PbftClient;
import io.pbft.client.ReplicaStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replicas killed with SIGKILL come back from their data directories, with real processes: four
 * replicas (f = 1), each its own JVM keeping its write-ahead log synced per group of records, serve
 * a recorded workload from this JVM. A backup is killed under load and started again on its data
 * directory while the others go on: it must recover, catch up and end with the others' state, and
 * the clients' history must be linearizable. Then the whole cluster is killed at once and started
 * again: what it answered before is still there, and it serves again.
 *
 * <p>This is the "kill -9 one replica of a 4-node cluster, restart it on its data directory;
 * it catches up, the workload never stops, all four report the same state digest, and the history
 * is linearizable. Then stop the whole cluster and start it again: the data written before is still
 * there." A small window and snapshot interval make the recovery run through a snapshot, a
 * truncated log and state transfer within a few seconds of load. Every wait is on a condition with
 * a deadline.
 */
class CrashRecoveryLiveTest extends LiveClusterTest {

    private static final int WINDOW = 32;
    private static final int CHECKPOINT_INTERVAL = 8;
    private static final long OPS_BEFORE_KILL = 1_000;
    /** Settled while the killed backup is down: the others go on without it. */
    private static final long OPS_WHILE_DOWN = 500;
    private static final long OPS_AFTER_RESTART = 500;
    private static final Duration RESTART = Duration.ofSeconds(60);
    private static final long CLIENT_TIMEOUT_SECONDS = 30;

    @Test
    void aKilledBackupRecoversFromItsDiskAndAKilledClusterKeepsWhatItAnswered() throws Exception {
        startReplicas(smallWindow(WINDOW, CHECKPOINT_INTERVAL));
        WorkloadRunner.Settings settings = settings();
        int backup;
        WorkloadResult result;
        try (LiveWorkload workload = LiveWorkload.start(replicas.config(), CLIENTS, MAX_OPS, settings)) {
            awaitSettled(workload, OPS_BEFORE_KILL, "operations settled before the kill");
            List<ReplicaStatus> before = awaitStatuses(ReplicaStatus::workInOneView,
                    "all four replicas in one view, not changing view");
            backup = Math.floorMod(before.get(0).primary() - 1, REPLICAS);
            replicas.kill(backup);
            awaitSettled(workload, workload.settled() + OPS_WHILE_DOWN, "operations settled with a replica down");
            replicas.restart(backup);
            replicas.awaitReady(RESTART);
            awaitSettled(workload, workload.settled() + OPS_AFTER_RESTART, "operations settled after the restart");
            workload.finishAfter(0);
            result = workload.result(WORKLOAD_END);
        }
        List<ReplicaStatus> end = awaitStatuses(LiveClusterTest::allAgree,
                "all four replicas in one view with the same last executed and state, the restarted one included");
        assertLinearizable(result);
        assertThat(replicas.log(backup)).as("replica %d's log", backup).contains("recovered from its disk");
        assertNoErrorLogged();

        killTheWholeClusterAndStartItAgain(end);
    }

    /**
     * Writes a key, kills all four at once (a power cut, with every record synced before its message
     * left), starts them again: the key is there, and the cluster orders new writes after what it
     * executed before.
     */
    private void killTheWholeClusterAndStartItAgain(List<ReplicaStatus> before) throws Exception {
        try (KvClient kv = client()) {
            kv.put("survivor", "written before the crash").get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        for (int id = 0; id < REPLICAS; id++) {
            replicas.kill(id);
        }
        for (int id = 0; id < REPLICAS; id++) {
            replicas.restart(id);
        }
        replicas.awaitReady(RESTART);
        try (KvClient kv = client()) {
            assertThat(kv.get("survivor").get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(Optional.of("written before the crash"));
            kv.put("after", "the restart").get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        long executedBefore = before.get(0).lastExecuted();
        // All four, the restarted ones' timers included: one that timed out a client's request
        // alone while four JVMs started at once on a loaded machine is joined once the cluster idles.
        List<ReplicaStatus> after = awaitStatuses(statuses -> allAgree(statuses)
                        && statuses.get(0).lastExecuted() > executedBefore,
                "all four replicas in one view with one state, beyond sequence number " + executedBefore
                        + " they had executed before");
        System.out.println(testName() + ": after the whole cluster's restart\n" + replicas.describe(after));
        assertNoErrorLogged();
    }

    private KvClient client() {
        return new KvClient(PbftClient.builder().cluster(replicas.config()).timeoutMillis(OP_TIMEOUT_MILLIS).build());
    }
}
