package io.pbft.statemachine.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two hash functions of the partition Merkle tree, domain-separated as in RFC 6962 §2.1:
 * {@code leaf = SHA-256(0x00 || partition digest)} and {@code inner = SHA-256(0x01 || left ||
 * right)}.
 *
 * <p>The prefixes matter because a fetcher takes node hashes from a replica that may lie: without
 * them, the 64 bytes of two child hashes would be a valid "partition digest" of some made-up leaf,
 * and an inner node could be passed off as a leaf (or the reverse) while still hashing to the
 * certified root. With them, a leaf hash and an inner hash are outputs of SHA-256 on disjoint
 * inputs. Changing either function is a protocol upgrade.
 */
public final class MerkleHash {

    /** Length of every node hash, and of every partition digest a leaf is built from. */
    public static final int BYTES = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte INNER_PREFIX = 0x01;

    private MerkleHash() {}

    /** The hash of the leaf whose partition has digest {@code partitionDigest}. */
    public static byte[] leaf(byte[] partitionDigest) {
        byte[] out = new byte[BYTES];
        leafInto(newSha256(), requireHash(partitionDigest, "partition digest"), 0, out, 0);
        return out;
    }

    /** The hash of the inner node whose children hash to {@code left} and {@code right}. */
    public static byte[] inner(byte[] left, byte[] right) {
        MessageDigest sha256 = newSha256();
        sha256.update(INNER_PREFIX);
        sha256.update(requireHash(left, "left child hash"));
        sha256.update(requireHash(right, "right child hash"));
        return sha256.digest();
    }

    /** Writes the leaf hash of the digest at {@code digests[digestOffset..]} into {@code out[outOffset..]}. */
    static void leafInto(MessageDigest sha256, byte[] digests, int digestOffset, byte[] out, int outOffset) {
        sha256.update(LEAF_PREFIX);
        sha256.update(digests, digestOffset, BYTES);
        finish(sha256, out, outOffset);
    }

    /**
     * Writes the inner hash of the two adjacent child hashes at {@code nodes[childrenOffset..]}
     * into {@code nodes[outOffset..]}: in the tree's heap layout the children of a node are
     * neighbours, so no copy is needed.
     */
    static void innerInto(MessageDigest sha256, byte[] nodes, int childrenOffset, int outOffset) {
        sha256.update(INNER_PREFIX);
        sha256.update(nodes, childrenOffset, 2 * BYTES);
        finish(sha256, nodes, outOffset);
    }

    /** Rejects anything but a {@value #BYTES}-byte array; peers supply some of these. */
    static byte[] requireHash(byte[] hash, String what) {
        if (hash == null || hash.length != BYTES) {
            throw new IllegalArgumentException(what + " must be " + BYTES + " bytes, got "
                    + (hash == null ? "none" : hash.length));
        }
        return hash;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform is required to provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void finish(MessageDigest sha256, byte[] out, int outOffset) {
        try {
            sha256.digest(out, outOffset, BYTES);
        } catch (DigestException e) {
            // Only thrown when the output slot is too small, which the layout rules out.
            throw new IllegalStateException("no room for a SHA-256 output at offset " + outOffset, e);
        }
    }
}
