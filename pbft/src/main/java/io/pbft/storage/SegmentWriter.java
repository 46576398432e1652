package io.pbft.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The segment records are appended to. Frames collect in a fixed buffer and reach the file when
 * it is full or the log syncs, so a batch of small records costs one write; a frame larger than
 * the buffer goes straight to the file.
 */
final class SegmentWriter implements Closeable {

    private final StorageFile file;
    private final String name;
    private final long firstIndex;
    private final ByteBuffer buffer;
    private final byte[] header = new byte[RecordFrame.HEADER_BYTES];
    private final CRC32C checksum = new CRC32C();
    private long sizeBytes;
    private long maxSequence;

    private SegmentWriter(StorageFile file, Segment segment, long sizeBytes, int bufferBytes) {
        this.file = file;
        this.name = segment.name();
        this.firstIndex = segment.firstIndex();
        this.maxSequence = segment.maxSequence();
        this.sizeBytes = sizeBytes;
        this.buffer = ByteBuffer.allocate(bufferBytes);
    }

    /** A new, empty segment whose first record will be {@code firstIndex}. */
    static SegmentWriter create(LogStorage storage, long firstIndex, int bufferBytes) throws IOException {
        Segment segment = Segment.empty(firstIndex);
        StorageFile file = storage.create(segment.name());
        try {
            // Until the directory is synced the file may vanish in a crash, taking forced records with it.
            storage.syncDirectory();
        } catch (IOException e) {
            file.close();
            throw e;
        }
        return new SegmentWriter(file, segment, 0, bufferBytes);
    }

    /** The last segment of a recovered log, appended to where its last whole record ends. */
    static SegmentWriter reopen(LogStorage storage, Segment segment, int bufferBytes) throws IOException {
        StorageFile file = storage.open(segment.name());
        try {
            return new SegmentWriter(file, segment, file.size(), bufferBytes);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    void append(long index, long sequence, byte type, byte[] payload) throws IOException {
        RecordFrame.writeHeader(header, checksum, index, sequence, type, payload);
        int frameBytes = RecordFrame.HEADER_BYTES + payload.length;
        if (frameBytes > buffer.remaining()) {
            flush();
        }
        if (frameBytes > buffer.remaining()) {
            file.append(ByteBuffer.wrap(header));
            file.append(ByteBuffer.wrap(payload));
        } else {
            buffer.put(header).put(payload);
        }
        sizeBytes += frameBytes;
        maxSequence = Math.max(maxSequence, sequence);
    }

    /** Hands the buffered frames to the file, without forcing them. */
    void flush() throws IOException {
        buffer.flip();
        file.append(buffer);
        buffer.clear();
    }

    void force() throws IOException {
        flush();
        file.force();
    }

    /** Forces and closes the segment: no record will be appended to it again. */
    Segment seal() throws IOException {
        force();
        file.close();
        return segment();
    }

    Segment segment() {
        return new Segment(name, firstIndex, maxSequence);
    }

    /** Bytes in the segment, buffered ones included. */
    long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
