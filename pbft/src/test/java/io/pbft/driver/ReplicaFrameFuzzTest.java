package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.Replica;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.fuzz.Allocation;
import io.pbft.fuzz.Bursts;
import io.pbft.fuzz.FixedKeys;
import io.pbft.fuzz.FuzzRun;
import io.pbft.fuzz.Mutations;
import io.pbft.wire.proto.NewView;
import io.pbft.wire.proto.PreparedProof;
import io.pbft.wire.proto.ReplicaEnvelope;
import io.pbft.wire.proto.ViewChange;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile replica frames against replica 3 of four: its {@link InboundPipeline} with a real core
 * (invariants checked after every input) behind it. Nothing a frame holds may make the pipeline or
 * the core throw, and the pipeline may not allocate more for a frame than the frame's own size
 * allows, whatever lengths and counts it claims.
 *
 * <p>{@link #replicaFrames} is the Jazzer target: under plain JUnit it replays its corpus
 * ({@code src/test/resources/io/pbft/driver/ReplicaFrameFuzzTestInputs}); with {@code JAZZER_FUZZ=1}
 * it fuzzes (docs/fuzzing.md). The seeded test feeds the same target structured hostile bursts.
 */
class ReplicaFrameFuzzTest {

    private static final int N = 4;
    private static final int SELF = 3;
    private static final int WINDOW = 16;
    /** Fixed keys, so that a corpus input replays the same way on every run. */
    private static final ReplicaKeys[] KEYS = FixedKeys.replicas(N);

    /** How a burst's control byte treats a frame (its low two bits; the next two name the signer). */
    private static final int AS_IS = 0;
    private static final int SIGNED_PAYLOAD = 1;
    private static final int MACED_PAYLOAD = 2;
    private static final int RESIGNED_ENVELOPES = 3;

    @FuzzTest(maxDuration = "5m")
    void replicaFrames(byte[] input) {
        new Receiver().take(input);
    }

    @Test
    void seededHostileBurstsNeverThrowAndCostNoMoreThanTheirSize() {
        HostileReplicaFrames hostile = new HostileReplicaFrames(KEYS, SELF);
        Receiver receiver = new Receiver(); // one receiver for the whole run: hostile state piles up in its core
        int tried = FuzzRun.run(getClass(), "seededHostileBurstsNeverThrowAndCostNoMoreThanTheirSize", 1000,
                random -> burst(random, hostile), receiver::take);

        assertThat(receiver.frames).isGreaterThanOrEqualTo(tried);
        // The generator reaches past the checks, not only into them.
        assertThat(receiver.passed).isPositive();
        assertThat(receiver.drops.drops).containsKeys(DropReason.MALFORMED_FRAME, DropReason.BAD_SIGNATURE,
                DropReason.UNKNOWN_SENDER);
    }

    /**
     * Regression for the first finding (seed 1, input 3102): replicas 0 and 1 vote for view
     * 2^63 - 1, whose primary is replica 3, which joins and announces it; then both complain of
     * that primary, and replica 3 moved on to view 2^63, wrapped around to -2^63. Views past
     * {@link io.pbft.wire.WireCodec#MAX_COUNTER} are now malformed. The input is in the corpus.
     */
    @Test
    void votesForTheLastPossibleViewAreDroppedAsMalformed() throws IOException {
        byte[] input;
        try (InputStream corpus = getClass().getResourceAsStream(
                "ReplicaFrameFuzzTestInputs/replicaFrames/view-past-the-last-by-complaints")) {
            input = corpus.readAllBytes();
        }
        Receiver receiver = new Receiver();

        receiver.take(input);

        assertThat(receiver.drops.drops).containsEntry(DropReason.MALFORMED_FRAME, 4);
        assertThat(receiver.core.view()).isZero();
    }

    /** One to eight frames, each hostile in its own way. */
    private static byte[] burst(Random random, HostileReplicaFrames hostile) {
        List<Bursts.Piece> pieces = new ArrayList<>();
        int frames = 1 + random.nextInt(8);
        for (int i = 0; i < frames; i++) {
            int signer = random.nextInt(N);
            pieces.add(switch (random.nextInt(10)) {
                case 0 -> new Bursts.Piece(AS_IS, Mutations.randomBytes(random, random.nextInt(256)));
                case 1 -> new Bursts.Piece(control(SIGNED_PAYLOAD, signer),
                        Mutations.mutate(random, hostile.message(random, signer).toByteArray()));
                case 2 -> new Bursts.Piece(AS_IS, hostile.consistentPrePrepare(random, 0, random.nextInt(2),
                        1 + random.nextInt(WINDOW + 4)));
                case 3 -> new Bursts.Piece(RESIGNED_ENVELOPES, Mutations.mutate(random, hostile.frame(random)));
                default -> new Bursts.Piece(AS_IS, hostile.frame(random));
            });
        }
        return Bursts.join(pieces);
    }

    private static int control(int mode, int signer) {
        return mode | signer << 2;
    }

    private static final InboundPipeline.CoreInputs NOWHERE = new InboundPipeline.CoreInputs() {
        @Override
        public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch, boolean authenticated) {}

        @Override
        public void signed(int from, Signed<?> signed) {}

        @Override
        public void message(int from, ReplicaMessage message) {}
    };

    /** Every request's MAC entry for this replica verifies: the core sees the batches it is sent. */
    private static RequestCheck everyRequestAuthentic() {
        return new ClientRequestCheck(request -> true, new VerifiedSignatures());
    }

    /** Replica 3's pipeline and core, counting what passes and what is dropped. */
    private static final class Receiver implements InboundPipeline.CoreInputs {
        private final InboundPipeline pipeline;
        private final Replica core;
        /** A second pipeline, to measure what checking costs without counting the frame twice here. */
        private final InboundPipeline probe = new InboundPipeline(SELF, N, WINDOW, KEYS[SELF], everyRequestAuthentic(),
                new PreparedSlots(2 * WINDOW), new CountingDrops());
        private final CountingDrops drops = new CountingDrops();
        private long nowMillis;
        private int frames;
        private int passed;

        Receiver() {
            pipeline = new InboundPipeline(SELF, N, WINDOW, KEYS[SELF], everyRequestAuthentic(),
                    new PreparedSlots(2 * WINDOW), drops);
            ReplicaConfig config = ReplicaConfig.defaults(N, SELF).withWindow(WINDOW, 4).withInvariantChecks(true);
            core = new Replica(config, new Envelopes(SELF, N, KEYS[SELF]), new CheckpointDigests());
        }

        void take(byte[] input) {
            for (Bursts.Piece piece : Bursts.split(input)) {
                byte[] frame = frame(piece);
                assertThat(allocatedChecking(frame)).as("bytes allocated checking a frame of %d bytes", frame.length)
                        .isLessThanOrEqualTo(Allocation.budgetFor(frame.length));
                boolean accepted = pipeline.check(frame, this);
                frames++;
                passed += accepted ? 1 : 0;
                nowMillis += 10;
                if (frames % 8 == 0) {
                    core.onTick(nowMillis);
                }
            }
        }

        /**
         * What checking {@code frame} allocates, measured on the probe's second check of it, without the core:
         * the first loads (and under the fuzzer instruments) the classes its path needs, which costs
         * what it costs once whatever the frame says.
         */
        private long allocatedChecking(byte[] frame) {
            probe.check(frame, NOWHERE);
            long before = Allocation.allocatedBytes();
            probe.check(frame, NOWHERE);
            return Allocation.allocatedBytes() - before;
        }

        private static byte[] frame(Bursts.Piece piece) {
            int signer = (piece.control() >> 2) % N;
            if (signer == SELF && (piece.control() & 3) == MACED_PAYLOAD) {
                return piece.bytes(); // a replica shares no MAC key with itself
            }
            byte[] bytes = piece.bytes();
            return switch (piece.control() & 3) {
                case SIGNED_PAYLOAD -> envelope(signer, bytes).setSignature(
                        UnsafeByteOperations.unsafeWrap(KEYS[signer].sign(bytes))).build().toByteArray();
                case MACED_PAYLOAD -> envelope(signer, bytes).setMac(
                        UnsafeByteOperations.unsafeWrap(KEYS[signer].macs().mac(SELF, bytes))).build().toByteArray();
                case RESIGNED_ENVELOPES -> resigned(bytes);
                default -> bytes;
            };
        }

        private static ReplicaEnvelope.Builder envelope(int sender, byte[] payload) {
            return ReplicaEnvelope.newBuilder().setSender(sender).setPayload(UnsafeByteOperations.unsafeWrap(payload));
        }

        /**
         * An envelope whose payload its named sender signs anew (its batch kept), and so every
         * envelope nested in it, innermost first: a faulty replica's own message whose
         * certificates hold whatever the fuzzer wrote, each validly signed by the replica it names.
         */
        private static byte[] resigned(byte[] bytes) {
            try {
                return resign(ReplicaEnvelope.parseFrom(bytes)).toByteArray();
            } catch (InvalidProtocolBufferException e) {
                return bytes;
            }
        }

        private static ReplicaEnvelope resign(ReplicaEnvelope envelope) {
            int sender = envelope.getSender();
            if (sender < 0 || sender >= N) {
                return envelope;
            }
            byte[] payload = resignNested(envelope.getPayload()).toByteArray();
            return envelope.toBuilder().setPayload(UnsafeByteOperations.unsafeWrap(payload))
                    .setSignature(UnsafeByteOperations.unsafeWrap(KEYS[sender].sign(payload))).build();
        }

        private static ByteString resignNested(ByteString payload) {
            io.pbft.wire.proto.ReplicaMessage message;
            try {
                message = io.pbft.wire.proto.ReplicaMessage.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                return payload;
            }
            if (message.hasViewChange()) {
                ViewChange.Builder viewChange = message.getViewChange().toBuilder();
                for (int i = 0; i < viewChange.getCheckpointProofCount(); i++) {
                    viewChange.setCheckpointProof(i, resignBytes(viewChange.getCheckpointProof(i)));
                }
                for (PreparedProof.Builder proof : viewChange.getPreparedBuilderList()) {
                    proof.setPrePrepare(resignBytes(proof.getPrePrepare()));
                    for (int i = 0; i < proof.getPreparesCount(); i++) {
                        proof.setPrepares(i, resignBytes(proof.getPrepares(i)));
                    }
                }
                return message.toBuilder().setViewChange(viewChange).build().toByteString();
            }
            if (message.hasNewView()) {
                NewView.Builder newView = message.getNewView().toBuilder();
                for (int i = 0; i < newView.getViewChangesCount(); i++) {
                    newView.setViewChanges(i, resignBytes(newView.getViewChanges(i)));
                }
                for (int i = 0; i < newView.getPrePreparesCount(); i++) {
                    newView.setPrePrepares(i, resignBytes(newView.getPrePrepares(i)));
                }
                return message.toBuilder().setNewView(newView).build().toByteString();
            }
            return payload;
        }

        private static ByteString resignBytes(ByteString nested) {
            try {
                return resign(ReplicaEnvelope.parseFrom(nested)).toByteString();
            } catch (InvalidProtocolBufferException e) {
                return nested;
            }
        }

        @Override
        public void prePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch, boolean authenticated) {
            core.onPrePrepare(from, prePrepare, batch, authenticated, nowMillis);
        }

        @Override
        public void signed(int from, Signed<?> signed) {
            core.onSigned(from, signed, nowMillis);
        }

        @Override
        public void message(int from, ReplicaMessage message) {
            core.onMessage(from, message, nowMillis);
        }
    }
}
