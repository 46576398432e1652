package io.pbft.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The snapshot beside the segments, one file of frames, each {@code length (4) | CRC32C of length
 * and bytes (4) | bytes}, written in order by the caller: a large state goes to disk a part at a
 * time and comes back a part at a time, and neither side ever holds it whole. A new snapshot is
 * written aside, forced, and renamed over the old one, so after a crash the file holds one or the
 * other, whole; any damage in it is therefore damage, and refused.
 */
final class SnapshotFile {

    static final String NAME = "snapshot";
    static final String TEMPORARY = "snapshot.tmp";
    private static final int HEADER_BYTES = 8;

    private final LogStorage storage;
    private final int maxFrameBytes;

    SnapshotFile(LogStorage storage, int maxFrameBytes) {
        this.storage = storage;
        this.maxFrameBytes = maxFrameBytes;
    }

    void write(WriteAheadLog.SnapshotBody body) throws IOException {
        if (storage.list().contains(TEMPORARY)) {
            storage.delete(TEMPORARY);
        }
        try (StorageFile file = storage.create(TEMPORARY)) {
            body.writeTo(frame -> {
                if (frame.length > maxFrameBytes) {
                    throw new IllegalArgumentException(
                            "a snapshot frame of " + frame.length + " bytes is over maxSnapshotBytes " + maxFrameBytes);
                }
                file.append(ByteBuffer.wrap(header(frame)));
                file.append(ByteBuffer.wrap(frame));
            });
            file.force();
        }
        // Only the final name has to survive a crash, so one directory sync after the rename serves
        // both the new file and its name.
        storage.rename(TEMPORARY, NAME);
        storage.syncDirectory();
    }

    void write(byte[] snapshot) throws IOException {
        write(frames -> frames.accept(snapshot));
    }

    /** Hands every frame, in order, to {@code frames}; false when there is no snapshot. */
    boolean read(WriteAheadLog.FrameSink frames) throws IOException {
        if (!storage.list().contains(NAME)) {
            return false;
        }
        String description = storage.describe(NAME);
        try (StorageFile file = storage.open(NAME)) {
            long sizeBytes = file.size();
            long offset = 0;
            do {
                byte[] frame = readFrame(file, description, offset, sizeBytes);
                offset += HEADER_BYTES + frame.length;
                frames.accept(frame);
            } while (offset < sizeBytes);
        }
        return true;
    }

    /** The snapshot's frames, one after the other: for a snapshot written as one. */
    Optional<byte[]> read() throws IOException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        return read(frame -> whole.write(frame, 0, frame.length)) ? Optional.of(whole.toByteArray()) : Optional.empty();
    }

    private byte[] readFrame(StorageFile file, String description, long offset, long sizeBytes) throws IOException {
        if (sizeBytes - offset < HEADER_BYTES) {
            throw new CorruptLogException(description, offset,
                    "only " + (sizeBytes - offset) + " bytes of an " + HEADER_BYTES + "-byte header");
        }
        byte[] header = readHeader(file, offset);
        int length = ByteBuffer.wrap(header).getInt(0);
        long available = sizeBytes - offset - HEADER_BYTES;
        if (length < 0 || length > maxFrameBytes || length > available) {
            throw new CorruptLogException(description, offset, "length " + length + " where the file holds "
                    + available + " bytes after the header (at most " + maxFrameBytes + ")");
        }
        byte[] frame = new byte[length];
        file.readFully(ByteBuffer.wrap(frame), offset + HEADER_BYTES);
        if (!Arrays.equals(header(frame), header)) {
            throw new CorruptLogException(description, offset, "checksum mismatch");
        }
        return frame;
    }

    private static byte[] readHeader(StorageFile file, long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        file.readFully(header, offset);
        return header.array();
    }

    private static byte[] header(byte[] frame) {
        ByteBuffer lengthField = ByteBuffer.allocate(4).putInt(0, frame.length);
        CRC32C checksum = new CRC32C();
        checksum.update(lengthField);
        checksum.update(frame);
        return ByteBuffer.allocate(HEADER_BYTES).putInt(frame.length).putInt((int) checksum.getValue()).array();
    }
}
