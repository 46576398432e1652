package io.pbft.statemachine.merkle;

/**
 * A position in a complete binary Merkle tree: {@code level} 0 is the root, level {@code depth}
 * holds the leaves, and {@code index} counts from the left within the level, from 0 to
 * {@code 2^level - 1}. The leaf of partition {@code p} is {@code (depth, p)}.
 *
 * <p>Positions, not hashes, are what a fetcher asks a peer for ("the children of (3, 5)"), so the
 * record is small and checks only what holds in every tree; {@link MerkleTree} checks the level
 * against its own depth.
 */
public record MerkleNode(int level, int index) {

    /** The root of every tree. */
    public static final MerkleNode ROOT = new MerkleNode(0, 0);

    /** Deepest level a node may have: {@link MerkleTree#MAX_LEAVES} leaves sit at this level. */
    static final int MAX_LEVEL = 20;

    public MerkleNode {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level " + level + " is outside 0.." + MAX_LEVEL);
        }
        if (index < 0 || index >= 1 << level) {
            throw new IllegalArgumentException("index " + index + " is outside 0.." + ((1 << level) - 1)
                    + " at level " + level);
        }
    }

    public MerkleNode left() {
        return new MerkleNode(level + 1, 2 * index);
    }

    public MerkleNode right() {
        return new MerkleNode(level + 1, 2 * index + 1);
    }

    /** The parent; the root has none. */
    public MerkleNode parent() {
        if (level == 0) {
            throw new IllegalStateException("the root has no parent");
        }
        return new MerkleNode(level - 1, index / 2);
    }

    /** Position in heap order (root 1, children of k at 2k and 2k + 1), how trees store nodes. */
    int heapIndex() {
        return (1 << level) + index;
    }

    static MerkleNode ofHeapIndex(int heapIndex) {
        int level = 31 - Integer.numberOfLeadingZeros(heapIndex);
        return new MerkleNode(level, heapIndex - (1 << level));
    }
}
