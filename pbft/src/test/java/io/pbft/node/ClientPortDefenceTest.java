package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.SigningKey;
import io.pbft.driver.DropReason;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import io.pbft.testing.Await;
import io.pbft.transport.ListenerLimits;
import io.pbft.transport.TransportStats;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.ClientHello;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.StatusReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-crafted frames on a replica's client port: dropped and counted; the cluster keeps working. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientPortDefenceTest {

    private static final int TARGET = 1;

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = LocalCluster.start(4, ReplicaConfig.defaults(4, 0).withWindow(16, 4).withStatusInterval(50),
                ReplicaPortDefenceTest.MAX_FRAME_BYTES);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void clusterStillWorks() throws IOException {
        ClusterProbe.assertExecutes(cluster);
    }

    @Test
    void aStatusQueryIsAnsweredWithoutAHandshake() throws IOException {
        try (RawConnection connection = clientPort()) {
            assertThat(ReplicaFrame.parseFrom(connection.receive()).hasHello()).isTrue();
            connection.send(RawClient.statusQuery());
            StatusReport report = ReplicaFrame.parseFrom(connection.receive()).getStatusReport();
            assertThat(report.getReplica()).isEqualTo(TARGET);
            assertThat(report.getView()).isZero();
            assertThat(report.getStateDigest().size()).isEqualTo(32);
        }
    }

    @Test
    void theHelloIsSignedByTheReplicasConfiguredKey() throws IOException {
        // RawClient.connect checks every hello against the configured keys and fails otherwise.
        try (RawClient client = RawClient.connect(cluster.config)) {
            assertThat(client.sessions).doesNotContainNull();
        }
    }

    @Test
    void garbageOnTheClientPortIsDroppedAsMalformed() throws IOException {
        try (RawConnection connection = helloRead()) {
            expect(DropReason.MALFORMED_FRAME, () -> connection.send(new byte[] {0x12, 0x7f}));
            connection.send(RawClient.statusQuery()); // the connection still serves
            assertThat(ReplicaFrame.parseFrom(connection.receive()).hasStatusReport()).isTrue();
        }
    }

    @Test
    void aFrameOfNoKnownKindIsDroppedAsMalformed() throws IOException {
        try (RawConnection connection = helloRead()) {
            expect(DropReason.MALFORMED_FRAME, () -> connection.send(new byte[0]));
        }
    }

    @Test
    void aRequestBeforeTheHandshakeIsDropped() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config); RawConnection connection = helloRead()) {
            byte[] frame = RawClient.requestFrame(client.request(1, KvOps.put("k", "v")));
            expect(DropReason.NO_SESSION, () -> connection.send(frame));
        }
    }

    @Test
    void aHelloWithABadSignatureFailsTheHandshakeAndClosesTheConnection() throws IOException {
        try (RawConnection connection = helloRead()) {
            SigningKey identity = SigningKey.generate(new SecureRandom());
            byte[] hello = ClientFrame.newBuilder().setHello(ClientHello.newBuilder()
                    .setIdentityPublicKey(ByteString.copyFrom(identity.publicKey()))
                    .setEphemeralPublicKey(ByteString.copyFrom(new byte[32]))
                    .setSignature(ByteString.copyFrom(new byte[64]))).build().toByteArray();
            expect(DropReason.HANDSHAKE_FAILED, () -> connection.send(hello));
            assertThat(connection.closedByPeer()).isTrue();
        }
    }

    @Test
    void aSecondHelloOnOneConnectionFailsAndClosesIt() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            byte[] hello = ClientFrame.newBuilder().setHello(ClientHello.newBuilder()
                    .setIdentityPublicKey(ByteString.copyFrom(client.identity.publicKey()))).build().toByteArray();
            expect(DropReason.HANDSHAKE_FAILED, () -> client.connections[TARGET].send(hello));
            assertThat(client.connections[TARGET].closedByPeer()).isTrue();
        }
    }

    @Test
    void aRequestWithABadMacIsDroppedAndTheConnectionKeepsServing() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request good = client.request(1, KvOps.put("k", "v"));
            List<ByteString> authenticator = new ArrayList<>(good.authenticator());
            byte[] mac = authenticator.get(TARGET).toByteArray();
            mac[0] ^= 1;
            authenticator.set(TARGET, ByteString.copyFrom(mac));
            Request forged = good.withAuthenticator(authenticator);
            expect(DropReason.BAD_MAC, () -> client.send(TARGET, forged));
            assertThat(client.status(TARGET).getReplica()).isEqualTo(TARGET);
        }
    }

    @Test
    void aReadOnlyRequestWithABadMacIsDroppedAndCounted() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request good = client.readOnlyRequest(1, KvOps.get("k"));
            List<ByteString> authenticator = new ArrayList<>(good.authenticator());
            byte[] mac = authenticator.get(TARGET).toByteArray();
            mac[0] ^= 1;
            authenticator.set(TARGET, ByteString.copyFrom(mac));
            expect(DropReason.BAD_MAC, () -> client.send(TARGET, good.withAuthenticator(authenticator)));
        }
    }

    @Test
    void aMalformedReadOnlyRequestIsDroppedAndCounted() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request zero = new Request(client.clientId, 0, ByteString.copyFrom(KvOps.get("k")), true, List.of());
            expect(DropReason.MALFORMED_FRAME, () -> client.send(TARGET, zero));
        }
    }

    @Test
    void aBackupAnswersAReadOnlyRequestAloneOnItsMacWithoutOrderingIt() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            client.send(TARGET, client.request(1, KvOps.put("read-only", "v")));
            assertThat(client.reply(TARGET).timestamp()).isEqualTo(1);
            StatusReport before = client.status(TARGET);

            client.send(TARGET, client.readOnlyRequest(2, KvOps.get("read-only")));
            Reply reply = client.reply(TARGET);

            assertThat(reply.timestamp()).isEqualTo(2);
            assertThat(KvResult.decode(reply.result().toByteArray())).isEqualTo(new KvResult.Value(Optional.of("v")));
            StatusReport after = client.status(TARGET);
            assertThat(after.getLastExecuted()).isEqualTo(before.getLastExecuted());
            assertThat(after.getStateDigest()).isEqualTo(before.getStateDigest());
        }
    }

    @Test
    void aRequestWithMacsForFewerThanNMinusFReplicasIsRefusedUntilTheClientHasMoreSessions() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request good = client.request(1, KvOps.put("k", "v"));
            List<ByteString> authenticator = new ArrayList<>(good.authenticator());
            // sessions with only TARGET and one other: two backups could neither check nor vouch
            for (int replica = 0; replica < authenticator.size(); replica++) {
                if (replica != TARGET && replica != (TARGET + 1) % authenticator.size()) {
                    authenticator.set(replica, ByteString.EMPTY);
                }
            }
            expect(DropReason.INCOMPLETE_AUTHENTICATOR, () -> client.send(TARGET, good.withAuthenticator(authenticator)));

            // with one entry missing (n - f present), the same request goes through
            List<ByteString> oneMissing = new ArrayList<>(good.authenticator());
            oneMissing.set((TARGET + 1) % oneMissing.size(), ByteString.EMPTY);
            long before = cluster.node(TARGET).metrics().dropped(DropReason.INCOMPLETE_AUTHENTICATOR);
            client.send(TARGET, good.withAuthenticator(oneMissing));
            assertThat(client.status(TARGET).getReplica()).isEqualTo(TARGET); // processed in order after it
            assertThat(cluster.node(TARGET).metrics().dropped(DropReason.INCOMPLETE_AUTHENTICATOR)).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no entries", "one entry too many", "an oversized entry for another replica"})
    void aRequestWhoseAuthenticatorIsNotOneMacPerReplicaIsDroppedAsMalformed(String shape) throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request good = client.request(1, KvOps.put("k", "v"));
            List<ByteString> authenticator = new ArrayList<>(good.authenticator());
            switch (shape) {
                case "no entries" -> authenticator.clear();
                case "one entry too many" -> authenticator.add(authenticator.get(0));
                default -> authenticator.set(3, ByteString.copyFrom(new byte[4096]));
            }
            Request misshapen = good.withAuthenticator(authenticator);
            expect(DropReason.MALFORMED_FRAME, () -> client.send(TARGET, misshapen));
        }
    }

    @Test
    void aRequestInAnotherClientsNameIsDropped() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request own = client.request(1, KvOps.put("k", "v"));
            Request impostor = new Request(client.clientId + 1, own.timestamp(), own.operation(), false,
                    own.authenticator());
            expect(DropReason.CLIENT_ID_MISMATCH, () -> client.send(TARGET, impostor));
        }
    }

    @Test
    void aRequestWithAZeroTimestampIsDroppedAsMalformed() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request zero = new Request(client.clientId, 0, ByteString.copyFromUtf8("x"), false, List.of());
            expect(DropReason.MALFORMED_FRAME, () -> client.send(TARGET, zero));
        }
    }

    @Test
    void anOversizedClientFrameClosesTheConnectionAndIsCounted() throws IOException {
        LongSupplier oversized = () -> cluster.node(TARGET).metrics().transport().framesRejectedOversized();
        long before = oversized.getAsLong();
        try (RawConnection connection = helloRead()) {
            connection.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
            assertThat(connection.closedByPeer()).isTrue();
        }
        Await.until(() -> oversized.getAsLong() > before, "oversized frame counted");
    }

    @Test
    void aLengthOverThePreHandshakeLimitClosesTheConnectionBeforeItsPayloadIsBuffered() throws IOException {
        TransportStats stats = cluster.node(TARGET).metrics().transport();
        long before = stats.framesRejectedBeforeHandshake();
        try (RawConnection connection = helloRead()) {
            // A length the replica takes after a handshake, and not one byte of payload: the close
            // comes from the length alone (issue 10: strangers' 8 MiB frames filled direct memory).
            connection.sendRaw(ByteBuffer.allocate(4).putInt(ReplicaPortDefenceTest.MAX_FRAME_BYTES).array());
            assertThat(connection.closedByPeer()).isTrue();
        }
        Await.until(() -> stats.framesRejectedBeforeHandshake() == before + 1, "counted once");
        assertThat(cluster.node(TARGET).metrics().nonZeroCounters())
                .containsEntry("transport.frames_rejected_before_handshake", before + 1);
    }

    @Test
    void aClientThatCompletedItsHandshakeSendsRequestsOverThePreHandshakeLimit() throws IOException {
        int valueBytes = 4 * ListenerLimits.defaults().maxUnauthenticatedFrameBytes();
        try (RawClient client = RawClient.connect(cluster.config)) {
            ClusterProbe.assertExecutes(cluster, client, 1, "v".repeat(valueBytes));
        }
    }

    @Test
    void aReplyToAClientWithoutAConnectionIsCountedAsUndeliverable() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            long[] undeliverable = new long[cluster.size()];
            for (int replica = 1; replica < cluster.size(); replica++) {
                undeliverable[replica] = cluster.node(replica).metrics().dropped(DropReason.REPLY_UNDELIVERABLE);
                int connected = cluster.node(replica).metrics().clientConnections();
                client.connections[replica].close();
                ReplicaNode node = cluster.node(replica);
                Await.until(() -> node.metrics().clientConnections() == connected - 1, "connection closed at " + replica);
            }
            client.send(0, client.request(1, KvOps.put("gone", "v")));
            assertThat(client.reply(0).timestamp()).isEqualTo(1);
            for (int replica = 1; replica < cluster.size(); replica++) {
                ReplicaNode node = cluster.node(replica);
                long before = undeliverable[replica];
                Await.until(() -> node.metrics().dropped(DropReason.REPLY_UNDELIVERABLE) == before + 1,
                        "undeliverable reply counted at " + replica);
            }
        }
    }

    private RawConnection clientPort() throws IOException {
        return new RawConnection(LocalCluster.HOST, cluster.node(TARGET).clientPort());
    }

    /** A connection to the client port whose server hello was read. */
    private RawConnection helloRead() throws IOException {
        RawConnection connection = clientPort();
        assertThat(ReplicaFrame.parseFrom(connection.receive()).hasHello()).isTrue();
        return connection;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void expect(DropReason reason, IoAction action) throws IOException {
        LongSupplier counter = () -> cluster.node(TARGET).metrics().dropped(reason);
        long before = counter.getAsLong();
        action.run();
        Await.until(() -> counter.getAsLong() == before + 1, reason + " counted once");
    }
}
