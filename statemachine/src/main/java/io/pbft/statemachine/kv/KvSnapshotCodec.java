package io.pbft.statemachine.kv;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Canonical encoding of the whole key-value state, for {@code snapshot()} and {@code restore()}.
 *
 * <p>Layout: the magic {@code "PBKV"}, a format version byte, the entry count (4 bytes), then per
 * entry, in key order, the key and the value, each as a 4-byte big-endian length followed by its
 * UTF-8 bytes ({@link KvEncoding}). The encoding is canonical: {@link #decode} accepts exactly the
 * outputs of {@link #encode}, so a snapshot that restores also re-encodes to the same bytes. A
 * snapshot comes from another replica, so decoding checks every length against the bytes left
 * before allocating.
 */
final class KvSnapshotCodec {

    private static final byte[] MAGIC = {'P', 'B', 'K', 'V'};
    private static final byte FORMAT_VERSION = 1;
    private static final int HEADER_BYTES = MAGIC.length + 1 + Integer.BYTES;

    private KvSnapshotCodec() {}

    static byte[] encode(SortedMap<String, String> entries) {
        return encode(entries.size(), entries.entrySet().iterator());
    }

    /**
     * The same from entries read one by one, for a store that does not hold the state as one map.
     *
     * @param entriesInKeyOrder every entry of the state in {@link String#compareTo} order
     * @throws IllegalStateException if {@code entriesInKeyOrder} does not hold exactly {@code
     *     count} entries
     */
    static byte[] encode(int count, Iterator<Map.Entry<String, String>> entriesInKeyOrder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(FORMAT_VERSION);
        KvEncoding.writeInt(out, count);
        int written = 0;
        while (entriesInKeyOrder.hasNext()) {
            Map.Entry<String, String> entry = entriesInKeyOrder.next();
            KvEncoding.writeString(out, entry.getKey());
            KvEncoding.writeString(out, entry.getValue());
            written++;
        }
        if (written != count) {
            throw new IllegalStateException("snapshot of " + count + " entries was given " + written);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a snapshot into a fresh map.
     *
     * @throws IllegalArgumentException if the bytes are not exactly the encoding of some state
     */
    static TreeMap<String, String> decode(byte[] snapshot) {
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot is null");
        }
        ByteBuffer in = ByteBuffer.wrap(snapshot);
        try {
            readHeader(in);
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / KvEncoding.MIN_ENTRY_BYTES) {
                throw new IllegalArgumentException("snapshot entry count " + count + " does not fit in "
                        + in.remaining() + " bytes");
            }
            TreeMap<String, String> entries = readEntries(in, count);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("snapshot has " + in.remaining() + " trailing bytes");
            }
            return entries;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("snapshot is truncated", e);
        }
    }

    private static void readHeader(ByteBuffer in) {
        if (in.remaining() < HEADER_BYTES) {
            throw new IllegalArgumentException("snapshot is shorter than its " + HEADER_BYTES + "-byte header");
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("snapshot does not start with the key-value magic");
        }
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported snapshot format version " + version);
        }
    }

    private static TreeMap<String, String> readEntries(ByteBuffer in, int count) {
        TreeMap<String, String> entries = new TreeMap<>();
        String previousKey = null;
        for (int i = 0; i < count; i++) {
            String key = KvEncoding.readString(in, "snapshot");
            // Strictly increasing keys: no duplicates, and only one encoding per state.
            if (previousKey != null && previousKey.compareTo(key) >= 0) {
                throw new IllegalArgumentException("snapshot keys are not strictly increasing at entry " + i);
            }
            entries.put(key, KvEncoding.readString(in, "snapshot"));
            previousKey = key;
        }
        return entries;
    }
}
