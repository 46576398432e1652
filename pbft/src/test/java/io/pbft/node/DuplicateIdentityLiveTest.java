package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.testing.Await;
import io.pbft.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two processes started with the same replica id and key, on loopback: a cluster of four, then a
 * second replica 1 whose copy of the config gives it ports of its own (on the same ports it could
 * not start at all). It talks to replicas 0, 2 and 3 as replica 1 does; the genuine replica 1 must
 * learn of it from their echoes, count it and say so, and nobody else may.
 */
class DuplicateIdentityLiveTest {

    private static final ReplicaConfig PROTOCOL = ReplicaConfig.defaults(4, 0);
    private static final int TWIN = 1;

    @Test
    void aSecondProcessWithAReplicasIdAndKeyIsReportedByThatReplica() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(IdentityWatch.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        logger.setAdditive(false);
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20, 1)) {
            ReplicaNode duplicate = LocalCluster.startWithRetry(cluster.keys, PROTOCOL, fresh ->
                    ReplicaNode.start(elsewhere(cluster.config, fresh.replica(TWIN)), TWIN, cluster.keys.get(TWIN),
                            new KeyValueStateMachine(), Metrics.NONE, 1));
            try (duplicate) {
                Await.until(() -> cluster.node(TWIN).metrics().duplicateIdentities() > 0,
                        "replica " + TWIN + " told of the second process with its id");
            }
            for (int id = 0; id < cluster.size(); id++) {
                if (id != TWIN) {
                    assertThat(cluster.node(id).metrics().duplicateIdentities()).as("reports at replica %d", id)
                            .isZero();
                }
            }
            assertThat(cluster.node(TWIN).metrics().nonZeroCounters()).containsKey("duplicate_identity");
            assertThat(List.copyOf(logged.list)).isNotEmpty().allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).startsWith("replica " + TWIN + " (incarnation ")
                        .contains("another process runs with this replica's id and key");
            });
        } finally {
            logger.detachAppender(logged);
            logger.setAdditive(true);
        }
    }

    /** {@code config}, with replica {@value #TWIN} at the ports of {@code ports} instead. */
    private static ClusterConfig elsewhere(ClusterConfig config, ReplicaEndpoint ports) {
        List<ReplicaEndpoint> endpoints = new ArrayList<>(config.replicas());
        ReplicaEndpoint original = endpoints.get(TWIN);
        endpoints.set(TWIN, new ReplicaEndpoint(TWIN, original.host(), ports.port(), ports.clientPort(),
                original.publicKey()));
        return new ClusterConfig(endpoints, config.protocol(), config.maxFrameBytes(), config.clientRetransmitMillis(),
                config.listenerLimits());
    }
}
