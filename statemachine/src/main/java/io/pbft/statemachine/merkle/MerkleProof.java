package io.pbft.statemachine.merkle;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks node hashes that a peer claims against a root the checker trusts (the state digest of a
 * stable checkpoint, certified by 2f + 1 replicas).
 *
 * <p>A claim is a set of (position, hash) pairs: for example the leaves of the partitions a
 * fetcher wants plus the siblings on their paths to the root, a "multi-proof". It verifies when
 * hashing the claim up, level by level, reproduces every claimed inner node it passes and ends at
 * the trusted root, with no claimed hash left over that did not take part.
 *
 * <p>Hashes are node hashes as {@link MerkleTree#hash} gives them: at a leaf, {@link
 * MerkleHash#leaf} of the partition digest, not the digest itself.
 */
public final class MerkleProof {

    private MerkleProof() {}

    /**
     * Whether every hash in {@code claimed} is the hash at its position of the tree with {@code
     * leafCount} leaves and root {@code trustedRoot}.
     *
     * <p>Never throws on what a peer could control: a position below the leaves, a hash of the
     * wrong length, a node whose sibling is missing (nothing to hash it with, so it cannot be
     * checked), or an empty claim (it proves nothing) all answer false.
     *
     * @throws IllegalArgumentException if {@code leafCount} or {@code trustedRoot} is malformed:
     *     those come from the caller, not from the peer
     */
    public static boolean verify(byte[] trustedRoot, int leafCount, Map<MerkleNode, byte[]> claimed) {
        MerkleHash.requireHash(trustedRoot, "trusted root");
        if (!MerkleTree.isValidLeafCount(leafCount)) {
            throw new IllegalArgumentException("leaf count must be a power of two in 1.." + MerkleTree.MAX_LEAVES);
        }
        TreeMap<Integer, byte[]> known = byHeapIndex(claimed, Integer.numberOfTrailingZeros(leafCount));
        if (known == null || known.isEmpty()) {
            return false;
        }
        // Highest heap index first: deeper levels before shallower ones, so both children of a
        // node are known (claimed or computed) before the node is computed.
        while (known.lastKey() > 1) {
            Map.Entry<Integer, byte[]> node = known.pollLastEntry();
            byte[] sibling = known.remove(node.getKey() ^ 1);
            if (sibling == null) {
                return false;
            }
            boolean isLeft = (node.getKey() & 1) == 0;
            byte[] parent = isLeft ? MerkleHash.inner(node.getValue(), sibling) : MerkleHash.inner(sibling, node.getValue());
            byte[] claimedParent = known.putIfAbsent(node.getKey() >>> 1, parent);
            if (claimedParent != null && !Arrays.equals(claimedParent, parent)) {
                return false;
            }
        }
        return Arrays.equals(known.get(1), trustedRoot);
    }

    /** The claim keyed by heap index, or null if a position or a hash cannot belong to the tree. */
    private static TreeMap<Integer, byte[]> byHeapIndex(Map<MerkleNode, byte[]> claimed, int depth) {
        TreeMap<Integer, byte[]> known = new TreeMap<>();
        for (Map.Entry<MerkleNode, byte[]> entry : claimed.entrySet()) {
            byte[] hash = entry.getValue();
            if (entry.getKey() == null || entry.getKey().level() > depth || hash == null
                    || hash.length != MerkleHash.BYTES) {
                return null;
            }
            known.put(entry.getKey().heapIndex(), hash.clone());
        }
        return known;
    }
}
