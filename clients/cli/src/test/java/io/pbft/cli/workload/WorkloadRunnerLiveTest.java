package io.pbft.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.client.LiveCluster;
import io.pbft.client.PbftClient;
import io.pbft.core.ReplicaConfig;
import io.pbft.transport.Transport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with real clients ({@link ClusterKv}) on a shared transport, against four replicas in this JVM. */
class WorkloadRunnerLiveTest {

    @TempDir
    Path dir;

    private static List<DeferredKv> clients(LiveCluster replicas, Transport transport, int count, long timeoutMillis) {
        SecureRandom random = new SecureRandom();
        List<DeferredKv> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new DeferredKv(ClusterKv.connect(replicas.config, timeoutMillis, random, transport),
                    Runnable::run));
        }
        return clients;
    }

    private static WorkloadResult run(List<DeferredKv> clients, long ops, String runId, long timeoutMillis)
            throws Exception {
        return BackgroundRun.start(() -> WorkloadRunner.run(clients, Budget.ops(ops),
                new WorkloadRunner.Settings(runId, 5, 4, OpMix.DEFAULT, timeoutMillis, true))).result();
    }

    @Test
    void eachClientsNextOperationIsSentFromTheTransportsIoThread() throws Exception {
        try (LiveCluster replicas = LiveCluster.start(dir, 4, ReplicaConfig.defaults(4, 0), 500);
                Transport transport = PbftClient.newTransport(replicas.config)) {
            List<DeferredKv> clients = clients(replicas, transport, 3, 10_000);
            try {
                WorkloadResult result = run(clients, 60, "live", 10_000);

                assertThat(result.ok()).isEqualTo(60);
                assertThat(result.allOk()).isTrue();
                Thread ioThread = transport.ioThread().executor().submit(Thread::currentThread)
                        .get(30, TimeUnit.SECONDS);
                for (DeferredKv client : clients) {
                    assertThat(client.threadsAfterTheFirstCaller()).isNotEmpty()
                            .allSatisfy(thread -> assertThat(thread).isSameAs(ioThread));
                }
            } finally {
                clients.forEach(DeferredKv::close);
            }
        }
    }

    @Test
    void whenTheReplicasStopAnsweringEveryOperationEndsUnknownAndTheRunEnds() throws Exception {
        long timeoutMillis = 2_000; // ample for the run before, which must succeed on a busy machine
        try (LiveCluster replicas = LiveCluster.start(dir, 4, ReplicaConfig.defaults(4, 0), 500);
                Transport transport = PbftClient.newTransport(replicas.config)) {
            List<DeferredKv> clients = clients(replicas, transport, 2, timeoutMillis);
            try {
                // First with every replica: the clients' sessions are up, so later requests are sent.
                assertThat(run(clients, 4, "before", timeoutMillis).allOk()).isTrue();
                replicas.stop(2);
                replicas.stop(3); // two of four: no quorum, no replies

                WorkloadResult result = run(clients, 2, "after", timeoutMillis);

                assertThat(result.unknown()).isEqualTo(2);
                assertThat(result.describe().get(0)).startsWith("operations: 0 completed, 0 failed, 2 unknown");
                assertThat(result.history()).hasSize(2).allSatisfy(entry -> assertThat(entry.returned()).isFalse());
            } finally {
                clients.forEach(DeferredKv::close);
            }
        }
    }
}
