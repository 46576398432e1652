package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import io.pbft.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With f = 1 replica stopped, the other three still complete every request and agree. */
class SilentReplicaTest {

    @TempDir
    Path directory;

    @Test
    void requestsCompleteWithOneReplicaStopped() throws Exception {
        KeyValueStateMachine model = new KeyValueStateMachine();
        try (LiveCluster cluster = LiveCluster.start(directory, 4, ReplicaConfig.defaults(4, 0).withWindow(32, 8), 100);
                PbftClient client = PbftClient.builder().cluster(cluster.config).build()) {
            invokeAndCheck(client, model, KvOps.put("before", "stop"));
            cluster.stop(3);
            for (int i = 0; i < 40; i++) {
                invokeAndCheck(client, model, i % 2 == 0 ? KvOps.put("k" + (i % 5), "v" + i) : KvOps.get("k" + (i % 5)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<ReplicaStatus> statuses = StatusClient.query(cluster.config, Duration.ofMillis(500));
            while (!agree(statuses, model) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                statuses = StatusClient.query(cluster.config, Duration.ofMillis(500));
            }
            assertThat(statuses.get(3).reachable()).isFalse();
            assertThat(agree(statuses, model)).as("the three running replicas agree: %s", statuses).isTrue();
        }
    }

    private static boolean agree(List<ReplicaStatus> statuses, KeyValueStateMachine model) {
        String digest = java.util.HexFormat.of().formatHex(model.stateDigest());
        return statuses.subList(0, 3).stream().allMatch(s -> s.reachable() && s.stateDigestHex().equals(digest)
                && s.lastExecuted() == statuses.get(0).lastExecuted());
    }

    private static void invokeAndCheck(PbftClient client, KeyValueStateMachine model, byte[] operation) throws Exception {
        byte[] expected = model.execute(operation);
        byte[] actual = client.invoke(operation).get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(KvResult.decode(actual)).isEqualTo(KvResult.decode(expected));
        assertThat(actual).isEqualTo(expected);
    }
}
