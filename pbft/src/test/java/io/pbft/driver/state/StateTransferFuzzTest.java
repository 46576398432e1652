package io.pbft.driver.state;

import static io.pbft.driver.state.StateFetcherTest.assertInstalled;
import static io.pbft.driver.state.TransferFixtures.clientTable;
import static io.pbft.driver.state.TransferFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StateChunk;
import io.pbft.driver.state.TransferFixtures.Checkpoint;
import io.pbft.fuzz.Bursts;
import io.pbft.fuzz.FuzzRun;
import io.pbft.fuzz.Mutations;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.SignedOpener;
import io.pbft.wire.WireCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * State transfer against hostile bytes: replica 1 answers every fetch with whatever the input
 * says (a state chunk decoded from its bytes, or its honest answer with bytes of it changed), and
 * the input's fetch requests are put to replica 2's server. No part of the state the fetcher
 * installs is ever unverified (the harness checks after every step), nothing throws, and once the
 * input runs out of lies the fetch completes with exactly the checkpoint's state.
 *
 * <p>{@link #liarAmongHonestServers} replays its corpus under plain JUnit and fuzzes with
 * {@code JAZZER_FUZZ=1} (docs/fuzzing.md); the seeded test feeds it random and damaged answers.
 */
class StateTransferFuzzTest {

    private static final StateTransferLimits LIMITS = StateTransferLimits.defaults().withMaxNodeHashes(4)
            .withMaxChunkBytes(96);
    private static final Checkpoint CHECKPOINT = Checkpoint.of(100, store(16, 120, "value-"), clientTable(300, 3));
    private static final int LIAR = 1;
    private static final int ASKED = 2;

    /** What a piece of the input is (its control byte modulo 4). */
    private static final int CHUNK = 0;
    private static final int CHUNK_FOR_THE_ASK = 1;
    private static final int DAMAGED_HONEST_ANSWER = 2;
    private static final int FETCH = 3;

    /** Never called: state-transfer messages nest no signed envelopes. */
    private static final SignedOpener NO_NESTED = new SignedOpener() {
        @Override
        public <M extends ReplicaMessage> Signed<M> open(ByteString bytes, Class<M> kind)
                throws MalformedMessageException {
            throw new MalformedMessageException("no signed message nests in a state-transfer message");
        }
    };

    @FuzzTest(maxDuration = "2m")
    void liarAmongHonestServers(byte[] input) {
        List<Bursts.Piece> answers = new ArrayList<>();
        TransferHarness harness = new TransferHarness(new KeyValueStateMachine(16), LIMITS, null).serving(CHECKPOINT);
        for (Bursts.Piece piece : Bursts.split(input)) {
            if (piece.control() % 4 == FETCH) {
                decoded(piece.bytes(), FetchState.class)
                        .ifPresent(fetch -> harness.servers.get(ASKED).onFetch(LIAR, fetch));
            } else {
                answers.add(piece);
            }
        }
        Iterator<Bursts.Piece> lies = answers.iterator();
        harness.behave(LIAR, (ask, honest) -> lies.hasNext() ? lie(lies.next(), ask, honest) : honest);

        harness.start(CHECKPOINT);

        assertThat(harness.run(20_000)).as("the fetch completes once the lies run out").isTrue();
        assertInstalled(harness, CHECKPOINT);
    }

    @Test
    void seededLiesAreCaughtAndTheFetchCompletes() {
        FuzzRun.run(getClass(), "seededLiesAreCaughtAndTheFetchCompletes", 150, StateTransferFuzzTest::lies,
                this::liarAmongHonestServers);
    }

    private static Optional<StateChunk> lie(Bursts.Piece piece, FetchState ask, Optional<StateChunk> honest) {
        return switch (piece.control() % 4) {
            case CHUNK_FOR_THE_ASK -> decoded(piece.bytes(), StateChunk.class)
                    .map(chunk -> new StateChunk(ask.sequence(), ask.request(), chunk.content(), LIAR));
            case DAMAGED_HONEST_ANSWER -> honest.flatMap(answer -> damaged(answer, piece.bytes()));
            default -> decoded(piece.bytes(), StateChunk.class);
        };
    }

    /** The honest answer with the piece's bytes XORed into its encoding, from the start. */
    private static Optional<StateChunk> damaged(StateChunk answer, byte[] mask) {
        byte[] bytes = WireCodec.encode(answer).toByteArray();
        for (int i = 0; i < Math.min(bytes.length, mask.length); i++) {
            bytes[i] ^= mask[i];
        }
        return decoded(bytes, StateChunk.class);
    }

    /** The message the bytes encode, if they parse and decode to one of this kind. */
    private static <M> Optional<M> decoded(byte[] bytes, Class<M> kind) {
        try {
            ReplicaMessage message = WireCodec.decode(LIAR, io.pbft.wire.proto.ReplicaMessage.parseFrom(bytes),
                    NO_NESTED);
            return kind.isInstance(message) ? Optional.of(kind.cast(message)) : Optional.empty();
        } catch (InvalidProtocolBufferException | MalformedMessageException e) {
            return Optional.empty();
        }
    }

    /** Up to 40 lies: honest answers with a few bytes changed, chunks of every content, fetch requests. */
    private static byte[] lies(Random random) {
        List<Bursts.Piece> pieces = new ArrayList<>();
        int count = random.nextInt(40);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(4);
            byte[] bytes = switch (kind) {
                case DAMAGED_HONEST_ANSWER -> sparseMask(random);
                case CHUNK, CHUNK_FOR_THE_ASK -> Mutations.mutate(random, WireCodec.encode(chunk(random)).toByteArray());
                default -> Mutations.mutate(random, WireCodec.encode(fetch(random)).toByteArray());
            };
            pieces.add(new Bursts.Piece(kind, bytes));
        }
        return Bursts.join(pieces);
    }

    /** Mostly zeros: a few bits of the honest answer changed. */
    private static byte[] sparseMask(Random random) {
        byte[] mask = new byte[1 + random.nextInt(200)];
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            mask[random.nextInt(mask.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return mask;
    }

    private static StateChunk chunk(Random random) {
        StateChunk.Content content = switch (random.nextInt(3)) {
            case 0 -> new StateChunk.Meta(digest(random), random.nextInt(40), digest(random));
            case 1 -> new StateChunk.Nodes(random.nextInt(6), random.nextInt(40),
                    List.of(digest(random), digest(random)));
            default -> new StateChunk.Partition(random.nextInt(18) - 1,
                    ByteString.copyFrom(Mutations.randomBytes(random, random.nextInt(120))),
                    ByteString.copyFrom(Mutations.randomBytes(random, random.nextInt(8))));
        };
        return new StateChunk(random.nextBoolean() ? CHECKPOINT.sequence() : random.nextInt(200), random.nextInt(50),
                content, LIAR);
    }

    private static FetchState fetch(Random random) {
        FetchState.Part part = switch (random.nextInt(3)) {
            case 0 -> new FetchState.Meta();
            case 1 -> new FetchState.Nodes(random.nextInt(8), random.nextInt(64), random.nextInt(100));
            default -> new FetchState.Partition(random.nextInt(18) - 1,
                    ByteString.copyFrom(Mutations.randomBytes(random, random.nextInt(12))),
                    random.nextInt(1 << 20));
        };
        return new FetchState(random.nextBoolean() ? CHECKPOINT.sequence() : random.nextInt(200), random.nextLong(),
                part, LIAR);
    }

    private static ByteString digest(Random random) {
        return ByteString.copyFrom(Mutations.randomBytes(random, 32));
    }
}
