package io.pbft.statemachine.kv;

import static io.pbft.statemachine.SeededRuns.forEachSeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.pbft.statemachine.PartitionTransfer;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Checkpoints of the key-value store over random histories: what a checkpoint shows never moves
 * whatever the store runs after it, and a lagging store copied from it reaches its root while the
 * source executes on. Seeds per property: {@code -Dpbft.merkle.seeds=N}; a failure names its seed
 * and a replay command.
 */
class KvCheckpointProperties {

    private static final int STEPS = 150;
    private static final int MAX_PUTS = 300;

    /** A checkpoint and what the store held when it was taken, to hold the checkpoint to. */
    private record Taken(StateCheckpoint checkpoint, SortedMap<String, String> entries, byte[] root) {}

    @Test
    void openCheckpointsKeepTheirStateWhateverTheStoreRunsAndWhicheverOthersClose(TestInfo test) {
        forEachSeed(test, seeds(), random -> {
            int partitions = 1 << random.nextInt(7);
            KeyValueStateMachine store = new KeyValueStateMachine(partitions);
            KeyValueStateMachine twin = new KeyValueStateMachine(partitions); // same history, never checkpointed
            KeyValueStateMachine donor = KvOpGen.randomStore(random, partitions, MAX_PUTS);
            List<Taken> open = new ArrayList<>();
            List<StateCheckpoint> closed = new ArrayList<>();
            for (int step = 0; step < STEPS; step++) {
                int kind = random.nextInt(100);
                if (kind < 10) {
                    open.add(take(store));
                } else if (kind < 16 && !open.isEmpty()) {
                    StateCheckpoint closing = open.remove(random.nextInt(open.size())).checkpoint();
                    closing.close();
                    closed.add(closing);
                } else if (kind < 22) {
                    int partition = random.nextInt(partitions);
                    PartitionTransfer.copy(donor, store, partition, 1 + random.nextInt(100));
                    PartitionTransfer.copy(donor, twin, partition, 1 + random.nextInt(100));
                } else if (kind < 24) {
                    byte[] snapshot = donor.snapshot();
                    store.restore(snapshot);
                    twin.restore(snapshot);
                } else if (kind < 30 && !open.isEmpty()) {
                    assertHolds(open.get(random.nextInt(open.size())), store, 1 + random.nextInt(150));
                } else {
                    KvOpGen.Op op = random.nextBoolean() ? KvOpGen.op(random, true) : KvOpGen.widePut(random);
                    byte[] result = store.execute(op.encode());
                    assertThat(result).as("result of %s", op).isEqualTo(twin.execute(op.encode()));
                    donor.execute(KvOpGen.widePut(random).encode());
                }
            }

            for (Taken taken : open) {
                assertHolds(taken, store, 1 + random.nextInt(150));
            }
            for (StateCheckpoint checkpoint : closed) {
                assertThatIllegalStateException().isThrownBy(checkpoint::root);
                assertThatIllegalStateException().isThrownBy(() -> checkpoint.readPartition(0, new byte[0], 10));
            }
            assertThat(store.stateDigest()).as("live digest").isEqualTo(twin.stateDigest());
            assertThat(store.entries()).as("live entries").isEqualTo(twin.entries());
        });
    }

    @Test
    void aLaggingStoreCopiedFromACheckpointReachesItsRootWhileTheSourceExecutesBetweenChunks(TestInfo test) {
        forEachSeed(test, seeds(), random -> {
            int partitions = 1 << random.nextInt(7);
            KeyValueStateMachine source = KvOpGen.randomStore(random, partitions, MAX_PUTS);
            KeyValueStateMachine lagging = KvOpGen.randomStore(random, partitions, MAX_PUTS);
            Taken taken = take(source);
            int[] movedOn = {0};
            Runnable sourceExecutesOn = () -> {
                KvOpGen.applyAll(source, KvOpGen.widePuts(random, 5));
                source.execute(KvOps.put("moved-on-" + movedOn[0]++, "x")); // a new key: the state surely changes
            };
            sourceExecutesOn.run();

            PartitionTransfer.catchUp(taken.checkpoint(), lagging, 1 + random.nextInt(200), sourceExecutesOn);

            assertThat(lagging.stateDigest()).isEqualTo(taken.root());
            assertThat(lagging.entries()).isEqualTo(taken.entries());
            assertThat(source.stateDigest()).as("the source moved on").isNotEqualTo(taken.root());
            assertHolds(taken, source, 1 + random.nextInt(150));
        });
    }

    private static Taken take(KeyValueStateMachine store) {
        byte[] root = store.stateDigest();
        Taken taken = new Taken(store.checkpoint(), store.entries(), root);
        assertThat(taken.checkpoint().root()).as("root of a new checkpoint").isEqualTo(root);
        return taken;
    }

    /** Every partition of the checkpoint reads as, and has the digest of, what the store held when it was taken. */
    private static void assertHolds(Taken taken, KeyValueStateMachine sameShape, int maxBytes) {
        StateCheckpoint checkpoint = taken.checkpoint();
        assertThat(checkpoint.root()).as("checkpoint root").isEqualTo(taken.root());
        assertThat(checkpoint.hash(MerkleNode.ROOT)).as("checkpoint root node").isEqualTo(taken.root());
        assertThat(checkpoint.merkleTree().root()).as("checkpoint tree").isEqualTo(taken.root());
        for (int p = 0; p < checkpoint.partitionCount(); p++) {
            SortedMap<String, String> expected = new TreeMap<>();
            for (Map.Entry<String, String> entry : taken.entries().entrySet()) {
                if (sameShape.partitionOf(entry.getKey()) == p) {
                    expected.put(entry.getKey(), entry.getValue());
                }
            }
            List<Map.Entry<String, String>> read = new ArrayList<>();
            for (byte[] chunk : PartitionTransfer.readAll(checkpoint, p, maxBytes)) {
                read.addAll(KvChunkCodec.decode(chunk));
            }
            assertThat(read).as("entries of partition %d", p).containsExactlyElementsOf(expected.entrySet());
            assertThat(checkpoint.partitionDigest(p)).as("digest of partition %d", p)
                    .isEqualTo(KvPartitionDigest.of(expected));
        }
    }

    private static int seeds() {
        return Integer.getInteger("pbft.merkle.seeds", 100);
    }
}
