package io.pbft.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one record, big-endian:
 *
 * <pre>
 * length (4) | checksum (4) | index (8) | sequence (8) | type (1) | payload (length bytes)
 * </pre>
 *
 * The CRC32C covers every header field but itself, and the payload: a flipped bit anywhere in
 * a frame, its length included, fails the checksum. The index in every frame lets recovery tell
 * a record of this log from stale or misplaced bytes that happen to checksum.
 */
final class RecordFrame {

    static final int HEADER_BYTES = 25;
    private static final int CHECKSUM_OFFSET = 4;
    private static final int FIELDS_OFFSET = 8;

    /** A frame's header as read, before anything in it is trusted. */
    record Header(int length, int checksum, long index, long sequence, byte type) {

        static Header parse(byte[] header) {
            ByteBuffer buffer = ByteBuffer.wrap(header, 0, HEADER_BYTES);
            return new Header(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(), buffer.get());
        }

        long frameBytes() {
            return HEADER_BYTES + (long) length;
        }
    }

    private RecordFrame() {
    }

    /** Fills {@code header} (HEADER_BYTES long) for a record with this payload. */
    static void writeHeader(byte[] header, CRC32C checksum, long index, long sequence, byte type, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.wrap(header, 0, HEADER_BYTES);
        buffer.putInt(payload.length).putInt(0).putLong(index).putLong(sequence).put(type);
        startChecksum(checksum, header);
        checksum.update(payload);
        buffer.putInt(CHECKSUM_OFFSET, (int) checksum.getValue());
    }

    /** Resets {@code checksum} and feeds it the header fields it covers; the payload comes next. */
    static void startChecksum(CRC32C checksum, byte[] header) {
        checksum.reset();
        checksum.update(header, 0, CHECKSUM_OFFSET);
        checksum.update(header, FIELDS_OFFSET, HEADER_BYTES - FIELDS_OFFSET);
    }
}
