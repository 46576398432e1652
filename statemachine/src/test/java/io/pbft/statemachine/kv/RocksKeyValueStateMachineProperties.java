package io.pbft.statemachine.kv;

import static io.pbft.statemachine.SeededRuns.forEachSeed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.statemachine.PartitionTransfer;
import io.pbft.statemachine.StateCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB store against the in-memory one over random histories: same results, digests,
 * chunks and snapshots, so that replicas may mix them. Histories include reopening the store,
 * restores, partition installs and checkpoints. Seeds: {@code -Dpbft.rocks.seeds=N}; a failure
 * names its seed and a replay command.
 */
class RocksKeyValueStateMachineProperties {

    private static final int STEPS = 200;
    private static final int MAX_DONOR_PUTS = 150;

    @TempDir
    Path stores;

    @Test
    void everyAnswerDigestChunkAndSnapshotEqualsTheInMemoryStoresOverAnyHistory(TestInfo test) {
        forEachSeed(test, seeds(), this::compareOneHistory);
    }

    private void compareOneHistory(SplittableRandom random) {
        int partitions = 1 << random.nextInt(6);
        Path directory = newDirectory();
        KeyValueStateMachine memory = new KeyValueStateMachine(partitions);
        KeyValueStateMachine donor = KvOpGen.randomStore(random, partitions, MAX_DONOR_PUTS);
        RocksKeyValueStateMachine rocks = RocksKeyValueStateMachine.open(directory, partitions);
        StateCheckpoint memoryCheckpoint = null;
        StateCheckpoint rocksCheckpoint = null;
        try {
            for (int step = 0; step < STEPS; step++) {
                int kind = random.nextInt(100);
                if (kind < 3) {
                    rocks.close();
                    rocks = RocksKeyValueStateMachine.open(directory, partitions);
                    assertThat(rocks.stateDigest()).as("digest after reopening at step %d", step)
                            .isEqualTo(memory.stateDigest());
                    memoryCheckpoint = null; // closing the store closed its checkpoint
                } else if (kind < 5) {
                    byte[] snapshot = donor.snapshot();
                    memory.restore(snapshot);
                    rocks.restore(snapshot);
                } else if (kind < 10) {
                    int partition = random.nextInt(partitions);
                    PartitionTransfer.copy(donor, memory, partition, 1 + random.nextInt(100));
                    PartitionTransfer.copy(donor, rocks, partition, 1 + random.nextInt(100));
                } else if (kind < 13 && memoryCheckpoint == null) {
                    memoryCheckpoint = memory.checkpoint();
                    rocksCheckpoint = rocks.checkpoint();
                } else if (kind < 20) {
                    byte[] operation = KvOpGen.op(random, true).encode();
                    assertThat(rocks.query(operation)).as("query at step %d", step).isEqualTo(memory.query(operation));
                } else if (kind < 26) {
                    assertThat(rocks.stateDigest()).as("digest at step %d", step).isEqualTo(memory.stateDigest());
                } else {
                    KvOpGen.Op op = random.nextBoolean() ? KvOpGen.op(random, true) : KvOpGen.widePut(random);
                    assertThat(rocks.execute(op.encode())).as("result of %s at step %d", op, step)
                            .isEqualTo(memory.execute(op.encode()));
                    donor.execute(KvOpGen.widePut(random).encode());
                }
            }
            assertSameState(memory, rocks, 1 + random.nextInt(150));
            if (memoryCheckpoint != null) {
                assertSameCheckpoint(memoryCheckpoint, rocksCheckpoint, 1 + random.nextInt(150));
            }
        } finally {
            rocks.close();
        }
    }

    private static void assertSameState(KeyValueStateMachine memory, RocksKeyValueStateMachine rocks, int maxBytes) {
        assertThat(rocks.stateDigest()).as("state digest").isEqualTo(memory.stateDigest());
        assertThat(rocks.merkleTree().root()).as("tree root").isEqualTo(memory.stateDigest());
        for (int p = 0; p < memory.partitionCount(); p++) {
            assertThat(rocks.partitionDigest(p)).as("digest of partition %d", p).isEqualTo(memory.partitionDigest(p));
        }
        assertThat(PartitionTransfer.everyChunkInHex(rocks, rocks.partitionCount(), maxBytes)).as("chunks of %d bytes", maxBytes)
                .containsExactlyElementsOf(PartitionTransfer.everyChunkInHex(memory, memory.partitionCount(), maxBytes));
        assertThat(rocks.snapshot()).as("snapshot").isEqualTo(memory.snapshot());
        assertThat(rocks.size()).as("size").isEqualTo(memory.size());
    }

    private static void assertSameCheckpoint(StateCheckpoint memory, StateCheckpoint rocks, int maxBytes) {
        assertThat(rocks.root()).as("checkpoint root").isEqualTo(memory.root());
        assertThat(PartitionTransfer.everyChunkInHex(rocks, rocks.partitionCount(), maxBytes)).as("checkpoint chunks")
                .containsExactlyElementsOf(PartitionTransfer.everyChunkInHex(memory, memory.partitionCount(), maxBytes));
    }

    private Path newDirectory() {
        try {
            return Files.createTempDirectory(stores, "store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int seeds() {
        return Integer.getInteger("pbft.rocks.seeds", 20);
    }
}
