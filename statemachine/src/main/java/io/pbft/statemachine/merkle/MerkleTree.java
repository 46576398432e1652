package io.pbft.statemachine.merkle;

import static io.pbft.statemachine.merkle.MerkleHash.BYTES;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A complete binary Merkle tree over a fixed, power-of-two number of leaves, one per partition of
 * the state, each leaf built from the partition's {@value MerkleHash#BYTES}-byte digest (see
 * {@link MerkleHash} for the hash functions). The root is the state digest at a checkpoint.
 *
 * <p>Incremental: {@link #update} stores a leaf digest and marks the path to the root stale in
 * O(1) amortised (it stops at the first ancestor already stale); {@link #root()} and the node
 * accessors rehash only stale nodes, children before parents. So k changed partitions between two
 * checkpoints cost at most k·depth hashes, usually fewer as paths share ancestors.
 *
 * <p>For state transfer: {@link #hash(MerkleNode)} gives any node's hash, {@link
 * MerkleNode#left()}/{@link MerkleNode#right()} its children, and {@link #differingLeaves} walks
 * this tree against a peer's top-down, checking every hash the peer claims against the trusted
 * root, to find the partitions to fetch. {@link MerkleProof#verify} checks a set of claimed node
 * hashes in one go.
 *
 * <p>Memory: three arrays of 32-byte slots, {@code 3 · leafCount · 32} bytes (24 KiB for 256
 * partitions), flat so that no node is an object.
 *
 * <p>Threads: {@link #update} is not thread-safe. The reads ({@link #root()}, {@link #hash}, {@link
 * #leafDigest}, {@link #differingLeaves}, {@link #copy()}) write only to rehash what updates left
 * stale; on a tree with nothing stale, such as a fresh {@link #copy()}, they write nothing. So a
 * copy that nobody updates may be read by several threads at once, which is how checkpoints
 * ({@code io.pbft.statemachine.StateCheckpoint}) serve node hashes off the execution thread.
 */
public final class MerkleTree {

    /** Most leaves a tree may have: 2^20, about 100 MiB of hashes, far above any sane partition count. */
    public static final int MAX_LEAVES = 1 << MerkleNode.MAX_LEVEL;

    private final int leafCount;
    private final int depth;
    /** The digest of each partition, slot i for leaf i. */
    private final byte[] leafDigests;
    /** Node hashes in heap order: slot 1 is the root, slot k has children 2k and 2k + 1; slot 0 unused. */
    private final byte[] nodes;
    /** Heap indices whose hash is stale. Invariant: the ancestors of a stale node are stale. */
    private final BitSet stale;
    private final MessageDigest sha256 = MerkleHash.newSha256();

    /**
     * A tree whose every leaf holds {@code initialLeafDigest} (typically the digest of an empty
     * partition). Built in O(leafCount) copies and O(depth) hashes: equal leaves make every subtree
     * of a level equal.
     */
    public MerkleTree(int leafCount, byte[] initialLeafDigest) {
        this.leafCount = requireLeafCount(leafCount);
        this.depth = Integer.numberOfTrailingZeros(leafCount);
        this.leafDigests = new byte[leafCount * BYTES];
        this.nodes = new byte[2 * leafCount * BYTES];
        this.stale = new BitSet(2 * leafCount);
        MerkleHash.requireHash(initialLeafDigest, "initial leaf digest");
        fillSlots(leafDigests, 0, leafCount, initialLeafDigest);
        byte[] levelHash = MerkleHash.leaf(initialLeafDigest);
        for (int level = depth; level >= 0; level--) {
            fillSlots(nodes, 1 << level, 1 << level, levelHash);
            levelHash = MerkleHash.inner(levelHash, levelHash);
        }
    }

    private MerkleTree(MerkleTree source) {
        source.rehashStale();
        this.leafCount = source.leafCount;
        this.depth = source.depth;
        this.leafDigests = source.leafDigests.clone();
        this.nodes = source.nodes.clone();
        this.stale = new BitSet(2 * leafCount);
    }

    /** Whether {@code count} is a power of two in 1..{@link #MAX_LEAVES}, as a leaf count must be. */
    public static boolean isValidLeafCount(int count) {
        return count > 0 && count <= MAX_LEAVES && Integer.bitCount(count) == 1;
    }

    public int leafCount() {
        return leafCount;
    }

    /** Level of the leaves: log2 of the leaf count, 0 for a one-leaf tree whose root is its leaf. */
    public int depth() {
        return depth;
    }

    /** Sets the digest of partition {@code leaf}; a digest equal to the current one changes nothing. */
    public void update(int leaf, byte[] leafDigest) {
        Objects.checkIndex(leaf, leafCount);
        MerkleHash.requireHash(leafDigest, "leaf digest");
        int offset = leaf * BYTES;
        if (Arrays.equals(leafDigests, offset, offset + BYTES, leafDigest, 0, BYTES)) {
            return;
        }
        System.arraycopy(leafDigest, 0, leafDigests, offset, BYTES);
        for (int k = leafCount + leaf; k >= 1 && !stale.get(k); k >>>= 1) {
            stale.set(k);
        }
    }

    /** The digest last given for partition {@code leaf}. */
    public byte[] leafDigest(int leaf) {
        Objects.checkIndex(leaf, leafCount);
        return Arrays.copyOfRange(leafDigests, leaf * BYTES, (leaf + 1) * BYTES);
    }

    /** The root hash, rehashing what {@link #update} left stale. */
    public byte[] root() {
        return hash(MerkleNode.ROOT);
    }

    /** The hash of {@code node}; its level may be at most {@link #depth()}. */
    public byte[] hash(MerkleNode node) {
        int offset = slotOf(node) * BYTES;
        rehashStale();
        return Arrays.copyOfRange(nodes, offset, offset + BYTES);
    }

    /** The node of partition {@code leaf}. */
    public MerkleNode leafNode(int leaf) {
        Objects.checkIndex(leaf, leafCount);
        return new MerkleNode(depth, leaf);
    }

    /** An independent copy: later updates of either tree do not reach the other. */
    public MerkleTree copy() {
        return new MerkleTree(this);
    }

    /**
     * The partitions, in increasing order, whose leaves differ between this tree and the tree of
     * the same shape with root {@code trustedRoot}, whose other node hashes {@code theirs} supplies.
     *
     * <p>Walks top-down and asks {@code theirs} only for the children of nodes that differ, so
     * k differing partitions cost at most 2·k·depth hashes from the peer. Their hashes are
     * untrusted: a pair of children is used only once it hashes to its parent, itself checked the
     * same way up to {@code trustedRoot}; so every partition named here truly differs from the
     * trusted tree and none that differs is missed.
     *
     * @throws IllegalArgumentException if a pair of claimed children does not hash to its parent,
     *     or a claimed hash is not {@value MerkleHash#BYTES} bytes
     */
    public List<Integer> differingLeaves(byte[] trustedRoot, NodeHashes theirs) {
        MerkleHash.requireHash(trustedRoot, "trusted root");
        rehashStale();
        List<Integer> differing = new ArrayList<>();
        walk(MerkleNode.ROOT, trustedRoot.clone(), theirs, differing);
        return differing;
    }

    /** Hashes of the nodes of some tree, by position: {@code MerkleTree::hash}, or a peer's answers. */
    @FunctionalInterface
    public interface NodeHashes {
        byte[] hash(MerkleNode node);
    }

    private void walk(MerkleNode node, byte[] theirHash, NodeHashes theirs, List<Integer> differing) {
        int offset = node.heapIndex() * BYTES;
        if (Arrays.equals(nodes, offset, offset + BYTES, theirHash, 0, BYTES)) {
            return;
        }
        if (node.level() == depth) {
            differing.add(node.index());
            return;
        }
        byte[] left = MerkleHash.requireHash(theirs.hash(node.left()), "hash claimed for " + node.left()).clone();
        byte[] right = MerkleHash.requireHash(theirs.hash(node.right()), "hash claimed for " + node.right()).clone();
        if (!Arrays.equals(MerkleHash.inner(left, right), theirHash)) {
            throw new IllegalArgumentException("the hashes claimed for the children of " + node
                    + " do not hash to it");
        }
        walk(node.left(), left, theirs, differing);
        walk(node.right(), right, theirs, differing);
    }

    /** Rehashes stale nodes from the highest heap index down, so children come before parents. */
    private void rehashStale() {
        if (stale.isEmpty()) {
            return; // the promise to concurrent readers: a tree with nothing stale is never written
        }
        for (int k = stale.length() - 1; k >= 1; k = stale.previousSetBit(k - 1)) {
            if (k >= leafCount) {
                MerkleHash.leafInto(sha256, leafDigests, (k - leafCount) * BYTES, nodes, k * BYTES);
            } else {
                MerkleHash.innerInto(sha256, nodes, 2 * k * BYTES, k * BYTES);
            }
        }
        stale.clear();
    }

    private int slotOf(MerkleNode node) {
        if (node.level() > depth) {
            throw new IllegalArgumentException(node + " is below the leaves of a tree of depth " + depth);
        }
        return node.heapIndex();
    }

    private static int requireLeafCount(int leafCount) {
        if (!isValidLeafCount(leafCount)) {
            throw new IllegalArgumentException("leaf count must be a power of two in 1.." + MAX_LEAVES
                    + ", got " + leafCount);
        }
        return leafCount;
    }

    private static void fillSlots(byte[] slots, int firstSlot, int count, byte[] value) {
        for (int slot = firstSlot; slot < firstSlot + count; slot++) {
            System.arraycopy(value, 0, slots, slot * BYTES, BYTES);
        }
    }
}
