package io.pbft.statemachine;

import io.pbft.statemachine.merkle.MerkleNode;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link StateCheckpoint} of {@link StateCheckpoint#of}: a private, fully hashed copy of the
 * tree and the service's frozen content, behind one reference that {@link #close()} clears.
 *
 * <p>Why it is thread-safe without locks: both final fields are set in the constructor, so any
 * thread that sees this object sees them and what they referenced then (final-field semantics),
 * even if the object reached it through a race. The tree is a copy nobody updates, and reading a
 * tree with nothing stale writes nothing ({@link MerkleTree}); the content never changes by the
 * contract of {@code of}. The only write after construction is {@code close}'s clearing of an
 * {@link AtomicReference}, which every read checks once, then uses what it got.
 */
final class FrozenStateCheckpoint implements StateCheckpoint {

    private final int partitionCount;
    private final AtomicReference<Frozen> frozen;

    private record Frozen(MerkleTree tree, PartitionReader content) {}

    FrozenStateCheckpoint(MerkleTree tree, PartitionReader frozenContent) {
        this.partitionCount = tree.leafCount();
        Objects.requireNonNull(frozenContent, "frozenContent");
        this.frozen = new AtomicReference<>(new Frozen(tree.copy(), frozenContent));
    }

    @Override
    public int partitionCount() {
        return partitionCount;
    }

    @Override
    public byte[] partitionDigest(int partition) {
        return open().tree().leafDigest(requirePartition(partition));
    }

    @Override
    public byte[] root() {
        return open().tree().root();
    }

    @Override
    public byte[] hash(MerkleNode node) {
        return open().tree().hash(Objects.requireNonNull(node, "node"));
    }

    @Override
    public MerkleTree merkleTree() {
        return open().tree().copy();
    }

    @Override
    public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
        Frozen data = open();
        requirePartition(partition);
        if (cursor == null) {
            throw new IllegalArgumentException("cursor is null");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        return data.content().readPartition(partition, cursor, maxBytes);
    }

    @Override
    public void close() {
        frozen.set(null);
    }

    @Override
    public String toString() {
        return "StateCheckpoint[" + partitionCount + " partitions" + (frozen.get() == null ? ", closed]" : "]");
    }

    private Frozen open() {
        Frozen data = frozen.get();
        if (data == null) {
            throw new IllegalStateException("checkpoint is closed");
        }
        return data;
    }

    private int requirePartition(int partition) {
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("partition " + partition + " is outside 0.." + (partitionCount - 1));
        }
        return partition;
    }
}
