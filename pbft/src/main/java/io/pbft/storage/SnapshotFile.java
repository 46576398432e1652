package io.pbft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The snapshot of the latest stable checkpoint, one file beside the segments:
 * {@code length (4) | CRC32C of length and bytes (4) | bytes}. A new snapshot replaces the old
 * one atomically, so after a crash the file holds one or the other, whole.
 */
final class SnapshotFile {

    static final String NAME = "snapshot";
    static final String TEMPORARY = "snapshot.tmp";
    private static final int HEADER_BYTES = 8;

    private final LogStorage storage;
    private final int maxSnapshotBytes;

    SnapshotFile(LogStorage storage, int maxSnapshotBytes) {
        this.storage = storage;
        this.maxSnapshotBytes = maxSnapshotBytes;
    }

    void write(byte[] snapshot) throws IOException {
        if (snapshot.length > maxSnapshotBytes) {
            throw new IllegalArgumentException(
                    "a snapshot of " + snapshot.length + " bytes is over maxSnapshotBytes " + maxSnapshotBytes);
        }
        if (storage.list().contains(TEMPORARY)) {
            storage.delete(TEMPORARY);
        }
        try (StorageFile file = storage.create(TEMPORARY)) {
            file.append(ByteBuffer.wrap(header(snapshot)));
            file.append(ByteBuffer.wrap(snapshot));
            file.force();
        }
        // Only the final name has to survive a crash, so one directory sync after the rename serves
        // both the new file and its name.
        storage.rename(TEMPORARY, NAME);
        storage.syncDirectory();
    }

    Optional<byte[]> read() throws IOException {
        if (!storage.list().contains(NAME)) {
            return Optional.empty();
        }
        String description = storage.describe(NAME);
        try (StorageFile file = storage.open(NAME)) {
            long sizeBytes = file.size();
            if (sizeBytes < HEADER_BYTES) {
                throw new CorruptLogException(description, 0,
                        "only " + sizeBytes + " bytes of an " + HEADER_BYTES + "-byte header");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            file.readFully(header, 0);
            int length = header.getInt(0);
            if (length < 0 || length > maxSnapshotBytes || length != sizeBytes - HEADER_BYTES) {
                throw new CorruptLogException(description, 0, "length " + length + " where the file holds "
                        + (sizeBytes - HEADER_BYTES) + " bytes after the header (at most " + maxSnapshotBytes + ")");
            }
            byte[] snapshot = new byte[length];
            file.readFully(ByteBuffer.wrap(snapshot), HEADER_BYTES);
            if (!Arrays.equals(header(snapshot), header.array())) {
                throw new CorruptLogException(description, 0, "checksum mismatch");
            }
            return Optional.of(snapshot);
        }
    }

    private static byte[] header(byte[] snapshot) {
        ByteBuffer lengthField = ByteBuffer.allocate(4).putInt(0, snapshot.length);
        CRC32C checksum = new CRC32C();
        checksum.update(lengthField);
        checksum.update(snapshot);
        return ByteBuffer.allocate(HEADER_BYTES).putInt(snapshot.length).putInt((int) checksum.getValue()).array();
    }
}
