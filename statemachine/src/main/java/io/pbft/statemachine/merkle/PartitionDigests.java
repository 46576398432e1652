package io.pbft.statemachine.merkle;

import java.util.BitSet;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The digests of a service's partitions and the Merkle tree over them, kept up to date lazily: the
 * building block for implementing {@code PartitionedStateMachine}.
 *
 * <p>The service calls {@link #markChanged} on every write, which costs one bit; nothing is hashed
 * until a digest is asked for, typically once per checkpoint interval. Then each changed partition
 * is digested once, by the function given at construction, and only the tree paths above those
 * leaves are rehashed. This keeps hashing off the hot path of {@code execute}: a partition written
 * a thousand times between two checkpoints is digested once.
 *
 * <p>Not thread-safe, like the service that owns it.
 */
public final class PartitionDigests {

    private final MerkleTree tree;
    /** Partitions written since their digest was last computed. */
    private final BitSet changed;
    private final IntFunction<byte[]> digestOfPartition;

    /**
     * @param partitionCount a power of two, fixed for the life of the service
     * @param initialDigest the digest every partition has at the start (that of an empty
     *     partition), so that a fresh service hashes nothing until it is written
     * @param digestOfPartition computes the {@value MerkleHash#BYTES}-byte digest of a partition's
     *     current content; called only for changed partitions
     */
    public PartitionDigests(int partitionCount, byte[] initialDigest, IntFunction<byte[]> digestOfPartition) {
        this.tree = new MerkleTree(partitionCount, initialDigest);
        this.changed = new BitSet(partitionCount);
        this.digestOfPartition = Objects.requireNonNull(digestOfPartition, "digestOfPartition");
    }

    public int partitionCount() {
        return tree.leafCount();
    }

    /** Records that {@code partition}'s content may have changed. */
    public void markChanged(int partition) {
        changed.set(Objects.checkIndex(partition, tree.leafCount()));
    }

    /** Records that every partition may have changed, as after replacing the whole state. */
    public void markAllChanged() {
        changed.set(0, tree.leafCount());
    }

    /** The current digest of {@code partition}. */
    public byte[] partitionDigest(int partition) {
        Objects.checkIndex(partition, tree.leafCount());
        refresh(partition);
        return tree.leafDigest(partition);
    }

    /** The Merkle root over the current partition digests: the state digest. */
    public byte[] root() {
        refreshAll();
        return tree.root();
    }

    /** A copy of the tree over the current partition digests, detached from later changes. */
    public MerkleTree tree() {
        refreshAll();
        return tree.copy();
    }

    private void refreshAll() {
        for (int p = changed.nextSetBit(0); p >= 0; p = changed.nextSetBit(p + 1)) {
            tree.update(p, digestOfPartition.apply(p));
        }
        changed.clear();
    }

    private void refresh(int partition) {
        if (changed.get(partition)) {
            tree.update(partition, digestOfPartition.apply(partition));
            changed.clear(partition);
        }
    }
}
