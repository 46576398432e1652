package io.pbft.node;

import io.pbft.driver.DropReason;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.Rejection;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Request;
import io.pbft.crypto.PairwiseKeys;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.testing.Await;
import io.pbft.wire.proto.Prepare;
import io.pbft.wire.proto.ReplicaMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-crafted frames on a backup's replica port: each bad one is dropped and counted, and the
 * cluster keeps executing requests afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaPortDefenceTest {

    static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final int TARGET = 1;

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = LocalCluster.start(4, ReplicaConfig.defaults(4, 0).withWindow(16, 4).withStatusInterval(50),
                MAX_FRAME_BYTES);
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
        assertThat(cluster.node(TARGET).metrics().coreFailures()).isZero();
    }

    @Test
    void bytesThatAreNotAnEnvelopeAreDroppedAsMalformed() throws IOException {
        // Field 2 (payload) announces 127 bytes and ends: a truncated message.
        sendAndExpect(new byte[] {0x12, 0x7f}, dropped(DropReason.MALFORMED_FRAME));
    }

    @ParameterizedTest(name = "sender {0}")
    @ValueSource(ints = {4, 99, -1})
    void aSenderOutsideTheClusterIsDropped(int sender) throws IOException {
        SigningKey stranger = SigningKey.generate(new SecureRandom());
        sendAndExpect(Frames.signed(sender, stranger, Frames.harmlessPrepare(0)), dropped(DropReason.UNKNOWN_SENDER));
    }

    @Test
    void aMessageClaimingToComeFromTheReceiverItselfIsDropped() throws IOException {
        byte[] frame = Frames.signed(TARGET, cluster.keys.get(TARGET), Frames.harmlessPrepare(TARGET));
        sendAndExpect(frame, dropped(DropReason.UNKNOWN_SENDER));
    }

    @Test
    void aSignatureByAnotherKeyThanTheSendersIsDropped() throws IOException {
        byte[] frame = Frames.signed(2, cluster.keys.get(3), Frames.harmlessPrepare(2));
        sendAndExpect(frame, dropped(DropReason.BAD_SIGNATURE));
    }

    @Test
    void theStatusReportCarriesTheDropCounters() throws IOException {
        byte[] frame = Frames.signed(2, cluster.keys.get(3), Frames.harmlessPrepare(2));
        sendAndExpect(frame, dropped(DropReason.BAD_SIGNATURE));

        try (RawClient client = RawClient.connect(cluster.config)) {
            assertThat(client.status(TARGET).getCountersList())
                    .anySatisfy(counter -> {
                        assertThat(counter.getName()).isEqualTo("dropped.bad_signature");
                        assertThat(counter.getValue())
                                .isEqualTo(cluster.node(TARGET).metrics().dropped(DropReason.BAD_SIGNATURE));
                    })
                    .allSatisfy(counter -> assertThat(counter.getValue()).isPositive());
        }
    }

    @Test
    void aPayloadAlteredAfterSigningIsDropped() throws IOException {
        byte[] payload = io.pbft.wire.WireCodec.encode(Frames.harmlessPrepare(2)).toByteArray();
        byte[] signature = cluster.keys.get(2).sign(payload);
        payload[payload.length - 1] ^= 1;
        byte[] frame = io.pbft.wire.proto.ReplicaEnvelope.newBuilder().setSender(2)
                .setPayload(ByteString.copyFrom(payload)).setSignature(ByteString.copyFrom(signature))
                .build().toByteArray();
        sendAndExpect(frame, dropped(DropReason.BAD_SIGNATURE));
    }

    @Test
    void aCommitWithTheMacOfThePairReachesTheCore() throws IOException {
        byte[] frame = Frames.maced(2, macKey(2, TARGET), Frames.harmlessCommit(2));
        sendAndExpect(frame, () -> cluster.node(TARGET).metrics().coreRejections(Rejection.WRONG_VIEW));
    }

    @Test
    void aCommitWithAMacUnderAnotherPairsKeyIsDropped() throws IOException {
        // Replica 3's key for replica 1, presented as replica 2's: a MAC is bound to its pair.
        byte[] frame = Frames.maced(2, macKey(3, TARGET), Frames.harmlessCommit(2));
        sendAndExpect(frame, dropped(DropReason.BAD_REPLICA_MAC));
    }

    @Test
    void aCommitWithTheMacMeantForAnotherReceiverIsDropped() throws IOException {
        byte[] frame = Frames.maced(2, macKey(2, 3), Frames.harmlessCommit(2));
        sendAndExpect(frame, dropped(DropReason.BAD_REPLICA_MAC));
    }

    @Test
    void aPrepareWithOnlyAMacIsDroppedBecauseItCouldEnterACertificate() throws IOException {
        byte[] frame = Frames.maced(2, macKey(2, TARGET), Frames.harmlessPrepare(2));
        sendAndExpect(frame, dropped(DropReason.MISSING_SIGNATURE));
    }

    @Test
    void aPrepareForASlotAlreadyPreparedHereIsDroppedWithoutCheckingItsSignature() throws IOException {
        ClusterProbe.assertExecutes(cluster);
        NodeMetrics metrics = cluster.node(TARGET).metrics();
        long executed = metrics.lastExecuted();
        long badSignatures = metrics.dropped(DropReason.BAD_SIGNATURE);
        long redundant = metrics.redundantPrepares();
        long wrongView = metrics.coreRejections(Rejection.WRONG_VIEW);
        // Signed by the wrong key: were it checked, it would count as a bad signature.
        byte[] unchecked = Frames.signed(2, cluster.keys.get(3),
                new io.pbft.core.message.Prepare(0, executed, Frames.SOME_DIGEST, 2));
        try (RawConnection connection = replicaPort()) {
            connection.send(unchecked);
            // Frames on one connection are handled in order: once this one reached the core, so had the first.
            connection.send(Frames.signed(2, cluster.keys.get(2), Frames.harmlessPrepare(2)));
            Await.until(() -> metrics.coreRejections(Rejection.WRONG_VIEW) > wrongView, "the marker frame reached the core");
        }

        assertThat(metrics.dropped(DropReason.BAD_SIGNATURE)).isEqualTo(badSignatures);
        assertThat(metrics.redundantPrepares()).isGreaterThan(redundant);
    }

    @Test
    void anEnvelopeWithNeitherSignatureNorMacIsDropped() throws IOException {
        byte[] frame = io.pbft.wire.proto.ReplicaEnvelope.newBuilder().setSender(2)
                .setPayload(io.pbft.wire.WireCodec.encode(Frames.harmlessCommit(2)).toByteString())
                .build().toByteArray();
        sendAndExpect(frame, dropped(DropReason.MALFORMED_FRAME));
    }

    @Test
    void aSignedPayloadThatIsNotAReplicaMessageIsDropped() throws IOException {
        sendAndExpect(Frames.signed(2, cluster.keys.get(2), new byte[] {0x0a, 0x7f}),
                dropped(DropReason.MALFORMED_FRAME));
    }

    @Test
    void aSignedReplicaMessageOfNoKnownKindIsDropped() throws IOException {
        // An empty payload parses as a ReplicaMessage with no kind set, as would one of a future kind.
        sendAndExpect(Frames.signed(2, cluster.keys.get(2), new byte[0]), dropped(DropReason.MALFORMED_FRAME));
    }

    @Test
    void aSignedPrepareWithADigestOfTheWrongLengthIsDropped() throws IOException {
        byte[] payload = ReplicaMessage.newBuilder().setPrepare(Prepare.newBuilder()
                .setView(1_000).setSequence(9).setBatchDigest(ByteString.copyFrom(new byte[5])).setReplica(2))
                .build().toByteArray();
        sendAndExpect(Frames.signed(2, cluster.keys.get(2), payload), dropped(DropReason.MALFORMED_FRAME));
    }

    @Test
    void aMessageNamingAnotherReplicaThanItsSignerIsRejectedByTheCore() throws IOException {
        byte[] frame = Frames.signed(2, cluster.keys.get(2), Frames.harmlessPrepare(3));
        sendAndExpect(frame, () -> cluster.node(TARGET).metrics().coreRejections(Rejection.SENDER_MISMATCH));
    }

    @Test
    void aPrePrepareHoldingARequestWithABadMacAndABadSignatureIsHeldUntilOthersVouch() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request good = client.request(1, KvOps.put("never", "executed"));
            List<ByteString> authenticator = new ArrayList<>(good.authenticator());
            authenticator.set(TARGET, ByteString.copyFrom(new byte[16]));
            // Only a faulty primary proposes such a request: an honest one checks the signature first.
            Request forged = good.withAuthenticator(authenticator)
                    .withSignature(good.clientKey(), ByteString.copyFrom(new byte[64]));
            List<Request> batch = List.of(forged);
            PrePrepare prePrepare = new PrePrepare(0, 16, PrePrepare.digestOf(batch), 0);
            // Not prepared here (the core test covers the vouching rule), only held and counted.
            sendAndExpect(Frames.signed(0, cluster.keys.get(0), prePrepare, batch),
                    () -> cluster.node(TARGET).metrics().unverifiedPrePrepares());
        }
    }

    @Test
    void aPrePrepareWhoseRequestsLackThisReplicasEntryIsDropped() throws IOException {
        List<Request> batch = List.of(Request.of(12345, 1, ByteString.copyFromUtf8("no authenticator")));
        PrePrepare prePrepare = new PrePrepare(0, 16, PrePrepare.digestOf(batch), 0);
        sendAndExpect(Frames.signed(0, cluster.keys.get(0), prePrepare, batch),
                dropped(DropReason.BAD_REQUEST_AUTHENTICATOR));
    }

    @Test
    void aPrePrepareCarryingJunkInAnotherReplicasEntryIsDropped() throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            Request good = client.request(1, KvOps.put("never", "executed"));
            List<ByteString> authenticator = new ArrayList<>(good.authenticator());
            authenticator.set(3, ByteString.copyFrom(new byte[4096]));
            List<Request> batch = List.of(good.withAuthenticator(authenticator));
            PrePrepare prePrepare = new PrePrepare(0, 16, PrePrepare.digestOf(batch), 0);
            sendAndExpect(Frames.signed(0, cluster.keys.get(0), prePrepare, batch),
                    dropped(DropReason.BAD_REQUEST_AUTHENTICATOR));
        }
    }

    @Test
    void anOversizedFrameClosesTheConnectionAndIsCounted() throws IOException {
        LongSupplier oversized = () -> cluster.node(TARGET).metrics().transport().framesRejectedOversized();
        long before = oversized.getAsLong();
        try (RawConnection connection = replicaPort()) {
            connection.sendRaw(ByteBuffer.allocate(4).putInt(MAX_FRAME_BYTES + 1).array());
            assertThat(connection.closedByPeer()).isTrue();
        }
        Await.until(() -> oversized.getAsLong() > before, "oversized frame counted");
    }

    @Test
    void aValidFrameAfterBadOnesOnTheSameConnectionIsStillProcessed() throws IOException {
        LongSupplier wrongView = () -> cluster.node(TARGET).metrics().coreRejections(Rejection.WRONG_VIEW);
        long before = wrongView.getAsLong();
        try (RawConnection connection = replicaPort()) {
            connection.send(new byte[] {0x12, 0x7f});
            connection.send(Frames.signed(2, cluster.keys.get(3), Frames.harmlessPrepare(2)));
            connection.send(Frames.signed(2, cluster.keys.get(2), Frames.harmlessPrepare(2)));
            Await.until(() -> wrongView.getAsLong() > before, "the valid prepare reached the core");
        }
    }

    private LongSupplier dropped(DropReason reason) {
        return () -> cluster.node(TARGET).metrics().dropped(reason);
    }

    private RawConnection replicaPort() throws IOException {
        return new RawConnection(LocalCluster.HOST, cluster.node(TARGET).replicaPort());
    }

    private void sendAndExpect(byte[] frame, LongSupplier counter) throws IOException {
        long before = counter.getAsLong();
        try (RawConnection connection = replicaPort()) {
            connection.send(frame);
            Await.until(() -> counter.getAsLong() == before + 1, "counter went from " + before + " to " + (before + 1));
        }
    }

    /** The key replica {@code from} MACs its messages to replica {@code to} with. */
    private SessionKey macKey(int from, int to) {
        return PairwiseKeys.derive(cluster.keys.get(from), from, cluster.keys.get(to).publicKey(), to).outbound();
    }
}
