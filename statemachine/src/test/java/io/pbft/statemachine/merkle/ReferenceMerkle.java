package io.pbft.statemachine.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * The Merkle tree computed from scratch, recursively, straight from the definition of the hashes
 * and without any code of the tree under test: the model the incremental tree must agree with.
 */
final class ReferenceMerkle {

    private ReferenceMerkle() {}

    /** The hash of node (level, index) of the tree over {@code leafDigests}. */
    static byte[] hash(byte[][] leafDigests, int level, int index) {
        int depth = Integer.numberOfTrailingZeros(leafDigests.length);
        if (level == depth) {
            return sha256((byte) 0x00, leafDigests[index]);
        }
        byte[] left = hash(leafDigests, level + 1, 2 * index);
        byte[] right = hash(leafDigests, level + 1, 2 * index + 1);
        return sha256((byte) 0x01, left, right);
    }

    static byte[] root(byte[][] leafDigests) {
        return hash(leafDigests, 0, 0);
    }

    static byte[] sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prefix);
            for (byte[] part : parts) {
                sha256.update(part);
            }
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] randomDigest(SplittableRandom random) {
        byte[] digest = new byte[MerkleHash.BYTES];
        random.nextBytes(digest);
        return digest;
    }

    /** A power of two from 1 to {@code 2^maxDepth}, small trees as often as large ones. */
    static int randomLeafCount(SplittableRandom random, int maxDepth) {
        return 1 << random.nextInt(maxDepth + 1);
    }

    /** The seed count of the Merkle properties: {@code -Dpbft.merkle.seeds=N}, short by default. */
    static int seeds() {
        return Integer.getInteger("pbft.merkle.seeds", 100);
    }
}
