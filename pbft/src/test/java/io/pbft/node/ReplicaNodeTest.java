package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.metrics.micrometer.MicrometerMetrics;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.testing.Await;
import io.pbft.wire.proto.StatusReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplicaNodeTest {

    private static final ReplicaConfig PROTOCOL = ReplicaConfig.defaults(4, 0).withWindow(16, 4).withStatusInterval(50);

    @Test
    void startRefusesAKeyThatIsNotTheConfiguredOne() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ClusterConfig config = LocalCluster.config(keys, PROTOCOL, 1 << 20);
        assertThatThrownBy(() -> ReplicaNode.start(config, 2, keys.get(1), new KeyValueStateMachine()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica.2.publicKey")
                .hasMessageContaining(HexFormat.of().formatHex(keys.get(1).publicKey()))
                .hasMessageContaining(HexFormat.of().formatHex(keys.get(2).publicKey()));
    }

    @Test
    void startRefusesAnIdOutsideTheCluster() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ClusterConfig config = LocalCluster.config(keys, PROTOCOL, 1 << 20);
        assertThatThrownBy(() -> ReplicaNode.start(config, 4, keys.get(0), new KeyValueStateMachine()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica id 4");
    }

    @Test
    void awaitTerminationReturnsOnceTheReplicaIsClosedAndNotBefore() throws Exception {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaNode node = LocalCluster.startWithRetry(keys, PROTOCOL,
                config -> ReplicaNode.start(config, 0, keys.get(0), new KeyValueStateMachine()));
        CompletableFuture<Void> waiting;
        try {
            waiting = CompletableFuture.runAsync(() -> {
                try {
                    node.awaitTermination();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(node.awaitTermination(0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(waiting).isNotDone();
        } finally {
            node.close();
        }

        waiting.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(node.awaitTermination(0, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void everyReplicaExecutesARequestAndRepliesWithTheSameResult() throws IOException {
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20)) {
            ClusterProbe.assertExecutes(cluster);
            for (int replica = 0; replica < cluster.size(); replica++) {
                ReplicaNode node = cluster.node(replica);
                Await.until(() -> node.metrics().lastExecuted() >= 1, "replica " + node.id() + " executed");
                assertThat(node.metrics().droppedTotal()).isZero();
                assertThat(node.metrics().coreFailures()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0} I/O thread(s)")
    @ValueSource(ints = {1, 2})
    void theCoreServesOnTheOnlyIoThreadOrOnItsOwn(int ioThreads) throws IOException {
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20, ioThreads)) {
            ClusterProbe.assertExecutes(cluster);
            for (int replica = 0; replica < cluster.size(); replica++) {
                ReplicaNode node = cluster.node(replica);
                Await.until(() -> node.metrics().lastExecuted() >= 1, "replica " + node.id() + " executed");
                assertThat(node.metrics().coreFailures()).isZero();
            }
        }
    }

    @Test
    void successiveRequestsOfOneClientRunInOrderAndPassACheckpoint() throws IOException {
        KeyValueStateMachine model = new KeyValueStateMachine();
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20);
                RawClient client = RawClient.connect(cluster.config)) {
            for (int timestamp = 1; timestamp <= 10; timestamp++) {
                byte[] operation = KvOps.put("counter", Integer.toString(timestamp));
                client.send(0, client.request(timestamp, operation));
                byte[] expected = model.execute(operation);
                for (int replica = 0; replica < cluster.size(); replica++) {
                    Reply reply = client.reply(replica);
                    assertThat(reply.timestamp()).isEqualTo(timestamp);
                    assertThat(reply.result().toByteArray()).isEqualTo(expected);
                }
            }
            // A checkpoint every 4 sequence numbers: by 10 executions, replicas agree on a stable one.
            for (int replica = 0; replica < cluster.size(); replica++) {
                ReplicaNode node = cluster.node(replica);
                Await.until(() -> node.metrics().lowWatermark() >= 8, "replica " + replica + " has a stable checkpoint");
                StatusReport status = client.status(replica);
                assertThat(status.getLastExecuted()).isEqualTo(10);
                assertThat(status.getStateDigest().toByteArray()).isEqualTo(model.stateDigest());
            }
        }
    }

    @Test
    void aBackupThatCannotCheckARequestExecutesItOnceTwoOthersVouch() throws IOException {
        int doubting = 3;
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20);
                RawClient client = RawClient.connect(cluster.config)) {
            byte[] operation = KvOps.put("vouched", "yes");
            Request honest = client.request(1, operation);
            List<ByteString> authenticator = new ArrayList<>(honest.authenticator());
            authenticator.set(doubting, ByteString.copyFrom(new byte[SessionKey.MAC_BYTES])); // not its MAC
            client.send(0, honest.withAuthenticator(authenticator));

            byte[] expected = new KeyValueStateMachine().execute(operation);
            for (int replica = 0; replica < cluster.size(); replica++) {
                assertThat(client.reply(replica).result().toByteArray()).isEqualTo(expected);
            }
            // The doubting replica took the pre-prepare as unverified, or (when its connection from the
            // primary was not up yet) executed on the word of f + 1 replicas that executed it; the
            // others could check every MAC.
            for (int replica = 0; replica < cluster.size(); replica++) {
                if (replica != doubting) {
                    assertThat(cluster.node(replica).metrics().unverifiedPrePrepares()).isZero();
                }
            }
        }
    }

    @Test
    void aRetransmittedRequestGetsTheCachedReplyAndIsNotExecutedTwice() throws IOException {
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20);
                RawClient client = RawClient.connect(cluster.config)) {
            var request = client.request(1, KvOps.put("once", "1"));
            client.send(0, request);
            for (int replica = 0; replica < cluster.size(); replica++) {
                client.reply(replica);
            }
            for (int replica = 0; replica < cluster.size(); replica++) {
                client.send(replica, request); // a retransmission to everyone
            }
            for (int replica = 0; replica < cluster.size(); replica++) {
                Reply again = client.reply(replica);
                assertThat(again.timestamp()).isEqualTo(1);
                assertThat(client.status(replica).getLastExecuted()).isEqualTo(1);
            }
        }
    }

    @Test
    void metricsAreRegisteredInTheGivenRegistry() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerMetrics micrometer = new MicrometerMetrics(registry);
        try (ReplicaNode node = LocalCluster.startWithRetry(keys, PROTOCOL,
                config -> ReplicaNode.start(config, 0, keys.get(0), new KeyValueStateMachine(), micrometer))) {
            assertThat(registry.find("pbft.node.dropped").tag("reason", "bad_signature").functionCounter()).isNotNull();
            assertThat(registry.find("pbft.core.last_executed").gauge()).isNotNull();
            assertThat(registry.find("pbft.core.stable_checkpoint").gauge()).isNotNull();
            assertThat(registry.find("pbft.transport.frames_rejected_oversized").functionCounter()).isNotNull();
            assertThat(registry.find("pbft.node.commit_latency").timer()).isNotNull();
            assertThat(node.metrics().sink()).isSameAs(micrometer);
            node.close();
            assertThat(registry.find("pbft.core.last_executed").gauge()).as("removed on close").isNull();
        }
    }

    @Test
    void closeFreesBothPortsAndIsIdempotent() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaNode node = LocalCluster.startWithRetry(keys, PROTOCOL,
                config -> ReplicaNode.start(config, 3, keys.get(3), new KeyValueStateMachine()));
        ClusterConfig config = node.config();
        assertThat(node.replicaPort()).isEqualTo(config.replica(3).port());
        assertThat(node.clientPort()).isEqualTo(config.replica(3).clientPort());
        node.close();
        node.close();
        for (int port : new int[] {node.replicaPort(), node.clientPort()}) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(LocalCluster.HOST))) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
