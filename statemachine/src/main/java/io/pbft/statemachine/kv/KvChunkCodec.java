package io.pbft.statemachine.kv;

import io.pbft.statemachine.PartitionChunk;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The chunk encoding of a key-value partition, for state transfer.
 *
 * <p>A chunk's content is a run of entries in strictly increasing key order, each the key and the
 * value framed as in {@link KvEncoding}; no header, so the chunks of a partition concatenate to
 * the same encoding however the reader split them. A cursor is the byte {@code 'k'} followed by
 * the UTF-8 bytes of the last key sent: never empty, since an empty cursor means "from the
 * start", and valid even if that key has since been deleted. Both are part of the protocol.
 */
final class KvChunkCodec {

    private static final byte CURSOR_TAG = 'k';

    private KvChunkCodec() {}

    /** The entries of one partition in key order, resumed after a key: how a store lets chunks be read. */
    @FunctionalInterface
    interface PartitionEntries {

        /** The partition's entries with keys greater than {@code keyOrNull}, or all of them if it is null. */
        Iterator<Map.Entry<String, String>> after(String keyOrNull);
    }

    /** The entries of {@code partition} after {@code cursor}, as many as fit {@code maxBytes} but at least one. */
    static PartitionChunk read(NavigableMap<String, String> partition, byte[] cursor, int maxBytes) {
        return read(after -> (after == null ? partition : partition.tailMap(after, false)).entrySet().iterator(),
                cursor, maxBytes);
    }

    /** The same from any store: pulls entries from {@code partition} only until the chunk is full. */
    static PartitionChunk read(PartitionEntries partition, byte[] cursor, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        Iterator<Map.Entry<String, String>> rest = partition.after(cursor.length == 0 ? null : cursorKey(cursor));
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        String lastKey = null;
        while (rest.hasNext()) {
            Map.Entry<String, String> entry = rest.next();
            byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            long entryBytes = (long) KvEncoding.MIN_ENTRY_BYTES + key.length + value.length;
            if (lastKey != null && content.size() + entryBytes > maxBytes) {
                return new PartitionChunk(content.toByteArray(), cursorAfter(lastKey));
            }
            KvEncoding.writeBytes(content, key);
            KvEncoding.writeBytes(content, value);
            lastKey = entry.getKey();
        }
        return new PartitionChunk(content.toByteArray(), new byte[0]);
    }

    /**
     * The entries of a chunk, in order.
     *
     * @throws IllegalArgumentException if the chunk is truncated, holds invalid UTF-8, or its keys
     *     are not strictly increasing
     */
    static List<Map.Entry<String, String>> decode(byte[] chunk) {
        if (chunk == null) {
            throw new IllegalArgumentException("chunk is null");
        }
        ByteBuffer in = ByteBuffer.wrap(chunk);
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        try {
            while (in.hasRemaining()) {
                String key = KvEncoding.readString(in, "chunk");
                if (!entries.isEmpty() && entries.get(entries.size() - 1).getKey().compareTo(key) >= 0) {
                    throw new IllegalArgumentException("chunk keys are not strictly increasing at entry " + entries.size());
                }
                entries.add(Map.entry(key, KvEncoding.readString(in, "chunk")));
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("chunk is truncated", e);
        }
        return entries;
    }

    private static byte[] cursorAfter(String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] cursor = new byte[1 + keyBytes.length];
        cursor[0] = CURSOR_TAG;
        System.arraycopy(keyBytes, 0, cursor, 1, keyBytes.length);
        return cursor;
    }

    private static String cursorKey(byte[] cursor) {
        if (cursor[0] != CURSOR_TAG) {
            throw new IllegalArgumentException("cursor does not start with the key-value cursor tag");
        }
        return KvEncoding.decodeUtf8(ByteBuffer.wrap(cursor, 1, cursor.length - 1), "cursor");
    }
}
