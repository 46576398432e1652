package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replica 3 of four checks view changes from replica 1: nested certificates are verified one by one. */
class InboundPipelineTest {

    private static final int N = 4;
    private static final int WINDOW = 8;
    private static final ByteString DIGEST = ByteString.copyFrom(new byte[32]);

    private final SigningKey[] keys = new SigningKey[N];
    private final Envelopes[] signers = new Envelopes[N];
    private final CountingDrops counter = new CountingDrops();
    private final Map<DropReason, Integer> drops = counter.drops;
    private final List<Signed<?>> delivered = new ArrayList<>();
    private final InboundPipeline pipeline;
    private int signatureChecks;

    InboundPipelineTest() {
        SecureRandom random = new SecureRandom();
        byte[][] publicKeys = new byte[N][];
        for (int id = 0; id < N; id++) {
            keys[id] = SigningKey.generate(random);
            publicKeys[id] = keys[id].publicKey();
        }
        for (int id = 0; id < N; id++) {
            signers[id] = new Envelopes(id, N, new Ed25519ReplicaKeys(id, keys[id], publicKeys));
        }
        ReplicaKeys own = new Ed25519ReplicaKeys(3, keys[3], publicKeys);
        ReplicaKeys counting = new ReplicaKeys() {
            @Override
            public byte[] sign(byte[] payload) {
                return own.sign(payload);
            }

            @Override
            public boolean verify(int signer, byte[] payload, byte[] signature) {
                signatureChecks++;
                return own.verify(signer, payload, signature);
            }

            @Override
            public PeerMacs macs() {
                return own.macs();
            }
        };
        pipeline = new InboundPipeline(3, N, WINDOW, counting,
                new ClientRequestCheck(request -> true, new VerifiedSignatures()), new PreparedSlots(16), counter);
    }

    private final InboundPipeline.CoreInputs core = new InboundPipeline.CoreInputs() {
        @Override
        public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch, boolean authenticated) {
            delivered.add(prePrepare);
        }

        @Override
        public void signed(int from, Signed<?> signed) {
            delivered.add(signed);
        }

        @Override
        public void message(int from, ReplicaMessage message) {}
    };

    private PreparedCertificate certificate(long sequence) {
        Signed<PrePrepare> prePrepare = signers[0].sign(new PrePrepare(0, sequence, DIGEST, 0));
        return new PreparedCertificate(prePrepare, List.of(signers[1].sign(new Prepare(0, sequence, DIGEST, 1)),
                signers[2].sign(new Prepare(0, sequence, DIGEST, 2))));
    }

    private byte[] frame(ViewChange viewChange) {
        return signers[1].sign(viewChange).envelope().toByteArray();
    }

    @Test
    void aViewChangeArrivesWithEveryNestedSignatureChecked() {
        ViewChange viewChange = new ViewChange(1, StableCheckpoint.INITIAL, List.of(certificate(1), certificate(2)), 1);

        assertThat(pipeline.accept(frame(viewChange), core)).isTrue();

        assertThat(delivered).singleElement().satisfies(signed -> assertThat(signed.message()).isEqualTo(viewChange));
        assertThat(drops).isEmpty();
    }

    @Test
    void signaturesThatArrivedOnTheirOwnAreNotCheckedAgainInsideACertificate() {
        PreparedCertificate certificate = certificate(1);
        pipeline.accept(certificate.prepares().get(0).envelope().toByteArray(), core);
        pipeline.accept(certificate.prepares().get(1).envelope().toByteArray(), core);
        signatureChecks = 0;

        pipeline.accept(frame(new ViewChange(1, StableCheckpoint.INITIAL, List.of(certificate), 1)), core);

        // the view change's own signature and the pre-prepare, which never came on its own
        assertThat(signatureChecks).isEqualTo(2);
        assertThat(drops).isEmpty();
    }

    @Test
    void aCertificateWithAPrepareSignedByAnotherReplicaThanItNamesIsDropped() {
        PreparedCertificate honest = certificate(1);
        // Replica 1 signs a prepare in replica 2's name: the nested envelope's signer is 1, the message says 2.
        Signed<Prepare> forged = new Signed<>(new Prepare(0, 1, DIGEST, 2),
                signers[1].sign(new Prepare(0, 1, DIGEST, 2)).envelope());
        ReplicaEnvelope wrongSender = envelope(forged.envelope()).toBuilder().setSender(2).build();
        PreparedCertificate tampered = new PreparedCertificate(honest.prePrepare(),
                List.of(honest.prepares().get(0), new Signed<>(forged.message(), wrongSender.toByteString())));

        boolean accepted = pipeline.accept(frame(new ViewChange(1, StableCheckpoint.INITIAL, List.of(tampered), 1)),
                core);

        assertThat(accepted).isFalse();
        assertThat(delivered).isEmpty();
        assertThat(drops).containsEntry(DropReason.BAD_SIGNATURE, 1);
    }

    @Test
    void aSignedPayloadPaddedWithFieldsItsKindDoesNotHaveIsDropped() {
        byte[] payload = WireCodec.encode(new Checkpoint(4, DIGEST, 1)).toBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFrom(new byte[1000])).build())
                        .build())
                .build().toByteArray();
        byte[] frame = ReplicaEnvelope.newBuilder().setSender(1).setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(keys[1].sign(payload))).build().toByteArray();

        assertThat(pipeline.accept(frame, core)).isFalse();
        assertThat(drops).containsEntry(DropReason.NON_CANONICAL, 1);
    }

    @Test
    void aViewChangeCarryingMoreSignaturesThanItsKindCanHoldIsDroppedBeforeCheckingThemAll() {
        Signed<Checkpoint> vote = signers[0].sign(new Checkpoint(4, DIGEST, 0));
        int tooMany = InboundPipeline.maxNestedSignatures(N, WINDOW) + 1;
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int i = 0; i < tooMany; i++) {
            proof.add(vote);
        }

        boolean accepted = pipeline.accept(frame(new ViewChange(1, new StableCheckpoint(4, DIGEST, proof), List.of(), 1)),
                core);

        assertThat(accepted).isFalse();
        assertThat(drops).containsEntry(DropReason.MALFORMED_FRAME, 1);
    }

    private static ReplicaEnvelope envelope(ByteString bytes) {
        try {
            return ReplicaEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
