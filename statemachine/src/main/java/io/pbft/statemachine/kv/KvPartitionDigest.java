package io.pbft.statemachine.kv;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest of one partition of the key-value store: SHA-256 over a canonical, length-prefixed
 * encoding of the partition's entries in key order. The state digest is the Merkle root over
 * these (see {@link KeyValueStateMachine}).
 *
 * <p>Layout hashed: the domain tag, the entry count (8 bytes, big-endian), then per entry the key
 * and the value, each as a 4-byte big-endian length followed by its UTF-8 bytes. Length prefixes
 * make the encoding injective: no two different partitions hash the same bytes. The layout is part
 * of the protocol.
 */
final class KvPartitionDigest {

    /** Separates this digest from any other SHA-256 the system computes over similar bytes. */
    private static final byte[] DOMAIN_TAG = "pbft.kv.partition-digest.v1".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] EMPTY = of(new TreeMap<>());

    private KvPartitionDigest() {}

    /** The digest of a partition without entries, which every partition of a fresh store has. */
    static byte[] empty() {
        return EMPTY.clone();
    }

    static byte[] of(SortedMap<String, String> entries) {
        return of(entries.size(), entries.entrySet().iterator());
    }

    /**
     * The digest of a partition read entry by entry, for a store that does not hold its partitions
     * as maps. The layout puts the count first, so the store must know it before reading.
     *
     * @param entriesInKeyOrder the partition's entries in {@link String#compareTo} order
     * @throws IllegalStateException if {@code entriesInKeyOrder} does not hold exactly {@code
     *     count} entries: the store's count is wrong, and any digest would be too
     */
    static byte[] of(long count, Iterator<Map.Entry<String, String>> entriesInKeyOrder) {
        MessageDigest sha256 = newSha256();
        writeBytes(sha256, DOMAIN_TAG);
        writeLong(sha256, count);
        long read = 0;
        while (entriesInKeyOrder.hasNext()) {
            Map.Entry<String, String> entry = entriesInKeyOrder.next();
            writeBytes(sha256, entry.getKey().getBytes(StandardCharsets.UTF_8));
            writeBytes(sha256, entry.getValue().getBytes(StandardCharsets.UTF_8));
            read++;
        }
        if (read != count) {
            throw new IllegalStateException("partition holds " + read + " entries but its count says " + count);
        }
        return sha256.digest();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform is required to provide SHA-256.
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void writeBytes(MessageDigest sha256, byte[] bytes) {
        writeInt(sha256, bytes.length);
        sha256.update(bytes);
    }

    private static void writeInt(MessageDigest sha256, int value) {
        sha256.update((byte) (value >>> 24));
        sha256.update((byte) (value >>> 16));
        sha256.update((byte) (value >>> 8));
        sha256.update((byte) value);
    }

    private static void writeLong(MessageDigest sha256, long value) {
        writeInt(sha256, (int) (value >>> 32));
        writeInt(sha256, (int) value);
    }
}
