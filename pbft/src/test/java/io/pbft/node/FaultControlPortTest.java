package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.SigningKey;
import io.pbft.driver.OutboundFilter;
import io.pbft.metrics.Metrics;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault-control port of a replica node: there only when asked for, on loopback, taking commands. */
class FaultControlPortTest {

    private static final ReplicaConfig PROTOCOL = ReplicaConfig.defaults(4, 0).withWindow(16, 4);
    private static final Duration ANSWER = Duration.ofSeconds(10);

    @Test
    void aReplicaStartedWithAPortTakesCommandsThereOnLoopback() throws Exception {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaNode node = LocalCluster.startWithRetry(keys, PROTOCOL, config -> ReplicaNode.start(config, 1,
                keys.get(1), new KeyValueStateMachine(), Metrics.NONE, 1, ReplicaStorage.IN_MEMORY,
                signer -> OutboundFilter.IDENTITY, 0));
        try {
            int port = node.faultControlPort();
            assertThat(port).isPositive();
            assertThat(FaultControl.request(port, "cut=0,2 delay-ms=5", ANSWER))
                    .startsWith("ok cut=0,2 drop=0.0 delay-ms=5 dropped=");
            assertThat(FaultControl.request(port, "cut=4", ANSWER)).isEqualTo("error: replica 4 is not in this cluster"
                    + " of 4");
            assertThat(FaultControl.request(port, "show", ANSWER)).startsWith("ok cut=0,2 drop=0.0 delay-ms=5 ");
        } finally {
            node.close();
        }
    }

    @Test
    void aReplicaStartedWithoutOneHasNone() throws Exception {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaNode node = LocalCluster.startWithRetry(keys, PROTOCOL,
                config -> ReplicaNode.start(config, 0, keys.get(0), new KeyValueStateMachine()));
        try {
            assertThat(node.faultControlPort()).isEqualTo(ReplicaNode.NO_FAULT_CONTROL);
            int besideClientPort = node.clientPort() + FaultControl.PORT_OFFSET;
            assertThatThrownBy(() -> FaultControl.request(besideClientPort, "cut=1", ANSWER))
                    .isInstanceOf(IOException.class);
        } finally {
            node.close();
        }
    }
}
