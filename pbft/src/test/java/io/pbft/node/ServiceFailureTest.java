package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pbft.core.ReplicaConfig;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.testing.Await;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A service that throws from execute stops its replica, as the StateMachine contract says. */
class ServiceFailureTest {

    private static final ReplicaConfig PROTOCOL = ReplicaConfig.defaults(4, 0).withWindow(16, 4);
    private static final byte[] BOOM = "boom".getBytes(StandardCharsets.UTF_8);

    /** The key-value store, with a bug: one operation makes it throw. */
    private static final class BuggyStore implements StateMachine {
        private final KeyValueStateMachine store = new KeyValueStateMachine();

        @Override
        public byte[] execute(byte[] operation) {
            if (Arrays.equals(operation, BOOM)) {
                throw new IllegalStateException("the service's bug");
            }
            return store.execute(operation);
        }

        @Override
        public byte[] query(byte[] operation) {
            return store.query(operation);
        }

        @Override
        public byte[] stateDigest() {
            return store.stateDigest();
        }

        @Override
        public byte[] snapshot() {
            return store.snapshot();
        }

        @Override
        public void restore(byte[] snapshot) {
            store.restore(snapshot);
        }
    }

    @Test
    void aThrowingExecuteStopsTheReplicaWithAnErrorNamingTheSequenceNumberAndTheException() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(CoreLoop.class);
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        logger.addAppender(errors);
        logger.setAdditive(false); // the expected errors stay off the console
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20, id -> new BuggyStore());
                RawClient client = RawClient.connect(cluster.config)) {
            ClusterProbe.assertExecutes(cluster, client, 1, "before"); // sequence number 1

            client.send(0, client.request(2, BOOM));

            for (int id = 0; id < cluster.size(); id++) {
                ReplicaNode node = cluster.node(id);
                assertThat(node.awaitTermination(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("replica %d stopped", id).isTrue();
                assertThat(node.failure()).get().satisfies(failure -> {
                    assertThat(failure.sequence()).isEqualTo(2);
                    assertThat(failure.getCause()).hasMessage("the service's bug");
                    assertThat(failure.getMessage()).contains("sequence number 2").contains("IllegalStateException")
                            .contains("request 2 of client " + client.clientId);
                });
            }
            assertThat(errors.list).filteredOn(event -> event.getLevel() == Level.ERROR).hasSize(4)
                    .allSatisfy(event -> assertThat(event.getFormattedMessage()).contains("stops")
                            .contains("sequence number 2"));
        } finally {
            logger.detachAppender(errors);
            logger.setAdditive(true);
        }
    }

    @Test
    void aReplicaClosedByItsOwnerReportsNoFailure() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20, id -> new BuggyStore())) {
            ClusterProbe.assertExecutes(cluster);
            cluster.node(0).close();
            assertThat(cluster.node(0).awaitTermination(0, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(cluster.node(0).failure()).isEmpty();
        }
    }
}
