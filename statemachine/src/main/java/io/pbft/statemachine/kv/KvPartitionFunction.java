package io.pbft.statemachine.kv;

import io.pbft.statemachine.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Which partition a key belongs to, for a fixed partition count.
 *
 * <p>The partition of a key is the top {@code log2(partitionCount)} bits of the first four bytes,
 * read big-endian, of SHA-256 over the key's UTF-8 bytes. It is part of the protocol: every store
 * of every replica uses this one. Taking the top bits makes partitions nest: partition p of a
 * store with n partitions is partitions 2p and 2p + 1 of a store with 2n, so the tree over the
 * partitions is a trie of the key hashes.
 *
 * <p>Not thread-safe (it keeps one {@link MessageDigest}), like the store that owns it.
 */
final class KvPartitionFunction {

    private final int partitionCount;
    private final int partitionBits;
    private final MessageDigest keyHash = KvPartitionDigest.newSha256();

    /** @throws IllegalArgumentException unless {@code partitionCount} is a power of two in 1..{@link MerkleTree#MAX_LEAVES} */
    KvPartitionFunction(int partitionCount) {
        if (!MerkleTree.isValidLeafCount(partitionCount)) {
            throw new IllegalArgumentException("partition count must be a power of two in 1.."
                    + MerkleTree.MAX_LEAVES + ", got " + partitionCount);
        }
        this.partitionCount = partitionCount;
        this.partitionBits = Integer.numberOfTrailingZeros(partitionCount);
    }

    int partitionCount() {
        return partitionCount;
    }

    int partitionOf(String key) {
        byte[] hash = keyHash.digest(key.getBytes(StandardCharsets.UTF_8));
        long firstFourBytes = (hash[0] & 0xFFL) << 24 | (hash[1] & 0xFF) << 16 | (hash[2] & 0xFF) << 8 | (hash[3] & 0xFF);
        return (int) (firstFourBytes >>> (Integer.SIZE - partitionBits));
    }

    /** {@code partition} itself if it exists; the number may come from a peer, so it is checked. */
    int requirePartition(int partition) {
        if (partition < 0 || partition >= partitionCount) {
            throw new IllegalArgumentException("partition " + partition + " is outside 0.." + (partitionCount - 1));
        }
        return partition;
    }
}
