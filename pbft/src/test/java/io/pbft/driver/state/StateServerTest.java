package io.pbft.driver.state;

import static io.pbft.driver.state.TransferFixtures.clientTable;
import static io.pbft.driver.state.TransferFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.driver.state.TransferFixtures.Checkpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.merkle.MerkleHash;
import io.pbft.statemachine.merkle.MerkleNode;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateServerTest {

    private static final int SELF = 2;
    private static final int PEER = 0;
    private static final StateTransferLimits LIMITS = StateTransferLimits.defaults().withMaxNodeHashes(8)
            .withMaxChunkBytes(200);

    private final KeyValueStateMachine source = store(16, 300, "value-");
    private final Checkpoint checkpoint = Checkpoint.of(100, source, clientTable(1_000, 1));
    private final MerkleTree tree = source.merkleTree();
    private final StateServer server = new StateServer(SELF, TransferFixtures.DIGESTS, LIMITS);

    StateServerTest() {
        server.keep(checkpoint.served());
    }

    @Test
    void metaHoldsWhatTheCheckpointDigestIsMadeOf() {
        StateChunk.Meta meta = (StateChunk.Meta) answer(new FetchState.Meta()).orElseThrow();

        assertThat(meta.partitionCount()).isEqualTo(16);
        assertThat(TransferFixtures.DIGESTS.checkpointDigest(meta.serviceRoot(), meta.clientTableDigest()))
                .isEqualTo(checkpoint.digest());
    }

    @Test
    void nodeHashesAreCappedAtTheLimitAndAtTheEndOfTheLevel() {
        StateChunk.Nodes capped = (StateChunk.Nodes) answer(new FetchState.Nodes(4, 0, 1_000_000)).orElseThrow();
        StateChunk.Nodes atEnd = (StateChunk.Nodes) answer(new FetchState.Nodes(3, 6, 8)).orElseThrow();

        assertThat(capped.hashes()).hasSize(8);
        assertThat(capped.hashes().get(5).toByteArray()).isEqualTo(tree.hash(new MerkleNode(4, 5)));
        assertThat(atEnd.firstIndex()).isEqualTo(6);
        assertThat(atEnd.hashes()).hasSize(2);
        assertThat(atEnd.hashes().get(1).toByteArray()).isEqualTo(tree.hash(new MerkleNode(3, 7)));
    }

    @Test
    void theLevelBelowTheLeavesHoldsThePartitionDigests() {
        StateChunk.Nodes digests = (StateChunk.Nodes) answer(new FetchState.Nodes(5, 3, 1)).orElseThrow();

        assertThat(digests.hashes().get(0).toByteArray()).isEqualTo(source.partitionDigest(3));
        assertThat(MerkleHash.leaf(digests.hashes().get(0).toByteArray())).isEqualTo(tree.hash(new MerkleNode(4, 3)));
    }

    @Test
    void nodesOutsideTheTreeAreDroppedAndCounted() {
        assertThat(answer(new FetchState.Nodes(6, 0, 1))).as("below the digests").isEmpty();
        assertThat(answer(new FetchState.Nodes(2, 4, 1))).as("past the level's end").isEmpty();
        assertThat(answer(new FetchState.Nodes(2, -1, 1))).as("negative index").isEmpty();
        assertThat(answer(new FetchState.Nodes(2, 0, 0))).as("none").isEmpty();

        assertThat(server.dropped(TransferDrop.BAD_NODE_RANGE)).isEqualTo(4);
    }

    @Test
    void aHugeChunkRequestIsClampedToTheMaximumChunkSize() {
        StateChunk.Partition chunk = (StateChunk.Partition) answer(
                new FetchState.Partition(0, ByteString.EMPTY, Integer.MAX_VALUE)).orElseThrow();

        assertThat(chunk.content().size()).isBetween(1, LIMITS.maxChunkBytes());
        assertThat(chunk.next()).as("the partition holds more").isNotEmpty();
    }

    @Test
    void aPartitionsChunksFollowTheirCursorsToItsWholeContent() {
        ByteString whole = ByteString.EMPTY;
        ByteString cursor = ByteString.EMPTY;
        do {
            StateChunk.Partition chunk = (StateChunk.Partition) answer(new FetchState.Partition(5, cursor, 50)).orElseThrow();
            whole = whole.concat(chunk.content());
            cursor = chunk.next();
        } while (!cursor.isEmpty());

        assertThat(whole.toByteArray()).isEqualTo(source.readPartition(5, new byte[0], Integer.MAX_VALUE).content());
    }

    @Test
    void badPartitionsAndCursorsAreDroppedAndCounted() {
        assertThat(answer(new FetchState.Partition(16, ByteString.EMPTY, 10))).isEmpty();
        assertThat(answer(new FetchState.Partition(-2, ByteString.EMPTY, 10))).isEmpty();
        assertThat(answer(new FetchState.Partition(1, ByteString.copyFromUtf8("not a cursor"), 10))).isEmpty();
        assertThat(answer(new FetchState.Partition(1, ByteString.copyFrom(new byte[LIMITS.maxCursorBytes() + 1]), 10)))
                .isEmpty();

        assertThat(server.dropped(TransferDrop.BAD_PARTITION_INDEX)).isEqualTo(2);
        assertThat(server.dropped(TransferDrop.BAD_CURSOR)).isEqualTo(2);
    }

    @Test
    void theClientTableIsServedByOffset() {
        StateChunk.Partition first = tableChunk(ByteString.EMPTY, 600).orElseThrow();
        StateChunk.Partition rest = tableChunk(first.next(), 600).orElseThrow();

        assertThat(first.content()).isEqualTo(checkpoint.clientTable().substring(0, 200));
        assertThat(TableCursor.offsetOf(first.next())).isEqualTo(200);
        assertThat(first.content().concat(rest.content())).isEqualTo(checkpoint.clientTable().substring(0, 400));
        assertThat(tableChunk(TableCursor.at(1_000), 10).orElseThrow().next()).as("at the end").isEmpty();
    }

    @Test
    void aBadClientTableCursorIsDroppedAndCounted() {
        assertThat(tableChunk(ByteString.copyFromUtf8("abc"), 10)).isEmpty();
        assertThat(tableChunk(TableCursor.at(1_001), 10)).isEmpty();
        assertThat(tableChunk(ByteString.copyFrom(new byte[] {(byte) 0x80, 0, 0, 0}), 10)).as("negative").isEmpty();

        assertThat(server.dropped(TransferDrop.BAD_CURSOR)).isEqualTo(3);
    }

    @Test
    void anotherCheckpointOrSenderGetsNoAnswer() {
        assertThat(server.onFetch(PEER, new FetchState(99, 7, new FetchState.Meta(), PEER))).isEmpty();
        assertThat(server.onFetch(PEER, new FetchState(100, 7, new FetchState.Meta(), 3))).isEmpty();

        assertThat(server.dropped(TransferDrop.CHECKPOINT_NOT_KEPT)).isEqualTo(1);
        assertThat(server.dropped(TransferDrop.SENDER_MISMATCH)).isEqualTo(1);
    }

    @Test
    void keepsTheLowestAndTheNewestWithinTheBoundAndDiscardsBelowTheStableOne() {
        for (long sequence = 200; sequence <= 600; sequence += 100) {
            server.keep(Checkpoint.of(sequence, source, ByteString.EMPTY).served());
        }

        assertThat(server.keptSequences()).containsExactly(100L, 400L, 500L, 600L);

        server.discardBelow(500);

        assertThat(server.keptSequences()).containsExactly(500L, 600L);
        assertThat(server.onFetch(PEER, new FetchState(100, 7, new FetchState.Meta(), PEER))).isEmpty();
    }

    private Optional<StateChunk.Content> answer(FetchState.Part part) {
        return server.onFetch(PEER, new FetchState(100, 7, part, PEER)).map(chunk -> {
            assertThat(chunk.sequence()).isEqualTo(100);
            assertThat(chunk.replica()).isEqualTo(SELF);
            return chunk.content();
        });
    }

    private Optional<StateChunk.Partition> tableChunk(ByteString cursor, int maxBytes) {
        return answer(new FetchState.Partition(FetchState.CLIENT_TABLE, cursor, maxBytes))
                .map(StateChunk.Partition.class::cast);
    }
}
