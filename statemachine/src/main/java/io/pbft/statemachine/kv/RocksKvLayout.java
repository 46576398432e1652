package io.pbft.statemachine.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How {@link RocksKeyValueStateMachine} lays out its state as RocksDB keys and values. Changing
 * any of it makes existing stores unreadable: bump {@link #FORMAT_VERSION}.
 *
 * <p>Entries (column family {@code entries}): the key is the partition number (4 bytes,
 * big-endian) followed by the key's UTF-16 code units, big-endian; the value is the value's UTF-8.
 *
 * <ul>
 *   <li>Partition first, so that each partition is one contiguous key range: reading a chunk is a
 *       seek, digesting a partition a range scan, replacing it one range delete.
 *   <li>UTF-16 code units, not UTF-8, because RocksDB orders keys bytewise, and bytewise order of
 *       big-endian code units is {@link String#compareTo} order, which chunks, partition digests and
 *       snapshots follow (the in-memory store's {@code TreeMap} order). UTF-8 bytes order by code
 *       point instead, which puts a supplementary character after U+E000..U+FFFF, not before.
 * </ul>
 *
 * <p>Metadata (the default column family): the format version, the partition count, and each
 * partition's entry count, which the partition digest hashes before the entries and which must
 * therefore be known before a partition is read.
 */
final class RocksKvLayout {

    static final int FORMAT_VERSION = 1;
    static final byte[] FORMAT_VERSION_KEY = ascii("format-version");
    static final byte[] PARTITION_COUNT_KEY = ascii("partition-count");
    private static final byte[] ENTRY_COUNT_PREFIX = ascii("entry-count/");
    private static final int PARTITION_BYTES = Integer.BYTES;

    private RocksKvLayout() {}

    /**
     * The first key of {@code partition}'s range, and the (exclusive) end of the range of {@code
     * partition - 1}; {@code partitionStart(partitionCount)} ends the last range.
     */
    static byte[] partitionStart(int partition) {
        return encodeInt(partition);
    }

    static byte[] entryKey(int partition, String key) {
        ByteBuffer bytes = ByteBuffer.allocate(PARTITION_BYTES + Character.BYTES * key.length());
        bytes.putInt(partition);
        for (int i = 0; i < key.length(); i++) {
            bytes.putChar(key.charAt(i));
        }
        return bytes.array();
    }

    static boolean inPartition(byte[] entryKey, int partition) {
        return entryKey.length >= PARTITION_BYTES
                && Arrays.equals(entryKey, 0, PARTITION_BYTES, partitionStart(partition), 0, PARTITION_BYTES);
    }

    /** The key of an entry key that {@link #inPartition} accepted. */
    static String key(byte[] entryKey) {
        if ((entryKey.length - PARTITION_BYTES) % Character.BYTES != 0) {
            throw new IllegalStateException("stored entry key of " + entryKey.length + " bytes is not whole UTF-16 code units");
        }
        ByteBuffer bytes = ByteBuffer.wrap(entryKey, PARTITION_BYTES, entryKey.length - PARTITION_BYTES);
        char[] key = new char[bytes.remaining() / Character.BYTES];
        bytes.asCharBuffer().get(key);
        return new String(key);
    }

    static byte[] value(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String value(byte[] stored) {
        return new String(stored, StandardCharsets.UTF_8);
    }

    static byte[] entryCountKey(int partition) {
        return ByteBuffer.allocate(ENTRY_COUNT_PREFIX.length + PARTITION_BYTES).put(ENTRY_COUNT_PREFIX).putInt(partition).array();
    }

    static byte[] encodeInt(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** @param what names the stored number in the error a damaged store gives */
    static int decodeInt(byte[] stored, String what) {
        return ByteBuffer.wrap(requireLength(stored, Integer.BYTES, what)).getInt();
    }

    /** @param what names the stored number in the error a damaged store gives */
    static long decodeLong(byte[] stored, String what) {
        return ByteBuffer.wrap(requireLength(stored, Long.BYTES, what)).getLong();
    }

    private static byte[] requireLength(byte[] stored, int length, String what) {
        if (stored.length != length) {
            throw new IllegalStateException("stored " + what + " has " + stored.length + " bytes, not " + length);
        }
        return stored;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
