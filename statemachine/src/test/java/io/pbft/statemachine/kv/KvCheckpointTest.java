package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionReader;
import io.pbft.statemachine.PartitionTransfer;
import io.pbft.statemachine.ReadsWhileExecuting;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleNode;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Checkpoints of the key-value store: what they cost, what they show, close, bad input, other threads. */
class KvCheckpointTest {

    private static final int KEYS = 2_000;
    private static final int MAX_WRITES_WHILE_READING = 1_000_000;

    private final KeyValueStateMachine store = new KeyValueStateMachine();

    @Test
    void aCheckpointCopiesNoEntryAndTheFirstWriteAfterItCopiesOnlyThePartitionWritten() {
        KvPartitions partitions = filledPartitions();
        String other = keyOutsidePartitionOf(partitions, "k1");

        partitions.checkpoint();
        assertThat(partitions.partitionCopies()).as("after the checkpoint").isZero();
        partitions.write("k1", "w");
        assertThat(partitions.partitionCopies()).as("after the first write").isOne();
        partitions.write("k1", "x");
        partitions.write(keyInPartitionOf(partitions, "k1"), "y");
        assertThat(partitions.partitionCopies()).as("after more writes to the same partition").isOne();
        partitions.write(other, "z");
        assertThat(partitions.partitionCopies()).as("after a write to another partition").isEqualTo(2);
        partitions.checkpoint();
        partitions.write("k1", "again");
        assertThat(partitions.partitionCopies()).as("after the first write past a second checkpoint").isEqualTo(3);
    }

    @Test
    void writesBeforeAnyCheckpointAndAfterAnInstallOrRestoreCopyNothing() {
        KvPartitions partitions = filledPartitions();
        partitions.checkpoint();
        int p = partitions.partitionOf("k1");
        partitions.replacePartition(p, new TreeMap<>(partitions.partition(p)));
        partitions.write("k1", "after the install");
        partitions.checkpoint();
        partitions.replaceAll(partitions.toSortedMap());
        for (int i = 0; i < KEYS; i++) {
            partitions.write("k" + i, "after the restore");
        }

        assertThat(partitions.partitionCopies()).isZero();
    }

    @Test
    void aCheckpointHasTheDigestsAndTheChunksOfTheStateAtTheCall() {
        fill(store, "v");
        byte[] digest = store.stateDigest();
        List<String> liveChunks = chunksOfEveryPartition(store);

        StateCheckpoint checkpoint = store.checkpoint();
        fill(store, "changed");

        assertThat(checkpoint.partitionCount()).isEqualTo(store.partitionCount());
        assertThat(checkpoint.root()).isEqualTo(digest).isEqualTo(checkpoint.hash(MerkleNode.ROOT))
                .isEqualTo(checkpoint.merkleTree().root()).isNotEqualTo(store.stateDigest());
        assertThat(chunksOfEveryPartition(checkpoint)).containsExactlyElementsOf(liveChunks);
    }

    @Test
    void aFreshStoreCheckpointsTheEmptyState() {
        StateCheckpoint checkpoint = store.checkpoint();
        store.execute(KvOps.put("k", "v"));

        assertThat(checkpoint.root()).isEqualTo(new KeyValueStateMachine().stateDigest());
        assertThat(checkpoint.readPartition(store.partitionOf("k"), new byte[0], 10))
                .isEqualTo(new PartitionChunk(new byte[0], new byte[0]));
    }

    @Test
    void aClosedCheckpointRefusesReadsAndLeavesTheOthersAndTheStoreAlone() {
        fill(store, "first");
        StateCheckpoint first = store.checkpoint();
        fill(store, "second");
        byte[] secondDigest = store.stateDigest();
        StateCheckpoint second = store.checkpoint();
        fill(store, "live");
        byte[] liveDigest = store.stateDigest();

        first.close();
        first.close();

        assertThatIllegalStateException().isThrownBy(first::root);
        assertThatIllegalStateException().isThrownBy(() -> first.partitionDigest(0));
        assertThatIllegalStateException().isThrownBy(() -> first.hash(MerkleNode.ROOT));
        assertThatIllegalStateException().isThrownBy(first::merkleTree);
        assertThatIllegalStateException().isThrownBy(() -> first.readPartition(0, new byte[0], 10));
        assertThat(first.partitionCount()).isEqualTo(store.partitionCount());
        assertThat(second.root()).isEqualTo(secondDigest);
        assertThat(store.stateDigest()).isEqualTo(liveDigest);
        KeyValueStateMachine caughtUp = new KeyValueStateMachine();
        PartitionTransfer.catchUp(second, caughtUp, 64, () -> store.execute(KvOps.put("k1", "moving")));
        assertThat(caughtUp.stateDigest()).isEqualTo(secondDigest);
    }

    @Test
    void badPartitionsCursorsBoundsAndNodesAreRejected() {
        StateCheckpoint checkpoint = store.checkpoint();

        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(256, new byte[0], 10));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(-1, new byte[0], 10));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(0, null, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(0, new byte[] {'x', 'a'}, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(0, new byte[0], 0));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.partitionDigest(256));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.hash(new MerkleNode(9, 0)));
    }

    @Test
    void anotherThreadReadsACheckpointWhileTheStoreRewritesEveryPartitionAndTakesNewCheckpoints() throws Exception {
        fill(store, "v");
        StateCheckpoint checkpoint = store.checkpoint();
        List<String> expected = chunksOfEveryPartition(checkpoint);
        List<List<String>> reads = ReadsWhileExecuting.read(20, () -> chunksOfEveryPartition(checkpoint),
                MAX_WRITES_WHILE_READING, write -> {
                    store.execute(KvOps.put("k" + write % KEYS, "w" + write));
                    if (write % 500 == 0) {
                        store.checkpoint().close(); // newer checkpoints share and copy the same partitions again
                    }
                });

        assertThat(reads).hasSize(20).allSatisfy(read -> assertThat(read).isEqualTo(expected));
    }

    private static KvPartitions filledPartitions() {
        KvPartitions partitions = new KvPartitions(16);
        for (int i = 0; i < KEYS; i++) {
            partitions.write("k" + i, "v");
        }
        return partitions;
    }

    private static void fill(KeyValueStateMachine store, String value) {
        for (int i = 0; i < KEYS; i++) {
            store.execute(KvOps.put("k" + i, value + i));
        }
    }

    private static List<String> chunksOfEveryPartition(PartitionReader source) {
        return PartitionTransfer.everyChunkInHex(source, KeyValueStateMachine.DEFAULT_PARTITION_COUNT, 64);
    }

    private static String keyInPartitionOf(KvPartitions partitions, String key) {
        for (int i = KEYS; ; i++) {
            if (partitions.partitionOf("k" + i) == partitions.partitionOf(key)) {
                return "k" + i;
            }
        }
    }

    private static String keyOutsidePartitionOf(KvPartitions partitions, String key) {
        for (int i = KEYS; ; i++) {
            if (partitions.partitionOf("k" + i) != partitions.partitionOf(key)) {
                return "k" + i;
            }
        }
    }
}
