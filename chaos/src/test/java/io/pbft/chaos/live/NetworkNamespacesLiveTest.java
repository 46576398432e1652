package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.history.HistoryLine;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.client.ReplicaStatus;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.SigningKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Four replica JVMs, each in a Linux network namespace of its own, linked by veth pairs to one
 * bridge, with the clients in this JVM on the bridge's side ({@link NetworkNamespaces}). Under a
 * recorded workload the test pulls the cable of a backup, then of the primary, and plugs each back:
 * the kernel, not the replicas, loses the traffic. The cluster must go on with three, vote the cut
 * primary out, take both back, agree in the end, and give the clients a linearizable history,
 * checked by the project's checker as {@code pbft check-history} does. Skipped, saying why, where
 * this machine allows no namespaces (not root, or a container without them).
 */
class NetworkNamespacesLiveTest extends LiveClusterTest {

    private static final int PRIMARY = 0;
    private static final int BACKUP = 3;
    private static final long OPS_BEFORE = 150;
    private static final long OPS_PER_CUT = 100;
    private static final long OPS_AFTER = 100;
    /** Each replica has a namespace, and so a port space, of its own: the same ports serve all. */
    private static final int REPLICA_PORT = 7000;
    private static final int CLIENT_PORT = 7100;

    private NetworkNamespaces namespaces;

    @AfterEach
    void removeNamespaces() {
        // The replicas first: a namespace that still holds a process outlives its name.
        stopReplicas();
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void cutsOfABackupAndOfThePrimaryBetweenNamespacesLeaveALinearizableHistory() throws Exception {
        namespaces = NetworkNamespaces.create(REPLICAS);
        System.out.println(testName() + ": " + namespaces.describe());
        ReplicaConfig protocol = smallWindow(2048, 128);
        ClusterConfig config = config(writeKeys(REPLICAS), protocol);
        ReplicaProcesses.Launch launch = launch();
        for (int id = 0; id < REPLICAS; id++) {
            launch = launch.withPrefix(id, namespaces.exec(id));
        }
        replicas = ReplicaProcesses.start(config, dir, launch);
        replicas.awaitReady(READY);

        WorkloadResult result;
        try (LiveWorkload workload = LiveWorkload.start(config, CLIENTS, MAX_OPS, settings())) {
            awaitSettled(workload, OPS_BEFORE, "operations settled before any cut");
            namespaces.cut(BACKUP);
            awaitSettled(workload, workload.settled() + OPS_PER_CUT, "operations settled with backup 3 cut off");
            namespaces.heal(BACKUP);
            namespaces.cut(PRIMARY);
            awaitStatuses(LiveClusterTest::othersThanZeroWorkInANewView,
                    "replicas 1 to 3 in a view above 0, not changing view, while replica 0 is cut off");
            awaitSettled(workload, workload.settled() + OPS_PER_CUT, "operations settled with the primary cut off");
            namespaces.heal(PRIMARY);
            workload.finishAfter(OPS_AFTER);
            result = workload.result(WORKLOAD_END);
        }
        List<ReplicaStatus> end = awaitStatuses(LiveClusterTest::allAgree,
                "all four in one view with the same last executed and state, every cable back");

        List<HistoryLine> lines = assertLinearizable(result);
        assertThat(lines).filteredOn(line -> line.entry().status() == OpStatus.OK)
                .hasSizeGreaterThanOrEqualTo((int) (OPS_BEFORE + 2 * OPS_PER_CUT));
        assertThat(end).extracting(ReplicaStatus::view).allMatch(view -> view >= 1);
        assertNoErrorLogged();
    }

    /** Replica i at the address of namespace i, on the same ports as the others. */
    private ClusterConfig config(List<SigningKey> keys, ReplicaConfig protocol) {
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            endpoints.add(new ReplicaEndpoint(i, namespaces.address(i), REPLICA_PORT, CLIENT_PORT,
                    keys.get(i).publicKey()));
        }
        return new ClusterConfig(endpoints, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES,
                ClusterConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS);
    }
}
