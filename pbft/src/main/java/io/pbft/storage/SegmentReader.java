package io.pbft.storage;

import io.pbft.storage.RecordFrame.Header;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one segment's frames in order through a small read-ahead window, so that reading costs
 * the same memory whatever the segment's size, and a length read from disk is checked against
 * the limit and the file's size before anything is allocated for it.
 */
final class SegmentReader {

    private static final int WINDOW_BYTES = 64 * 1024;

    /** What lies at the reader's position. */
    sealed interface Frame permits Valid, End, Bad {
    }

    record Valid(LogRecord record) implements Frame {
    }

    /** The segment ends cleanly here. */
    record End() implements Frame {
    }

    /**
     * The bytes here are not the record that belongs here.
     *
     * @param mayBeTorn whether a crash in the middle of writing could leave such bytes: a short
     *     or garbled frame may be torn, a whole frame holding the wrong record cannot
     */
    record Bad(String problem, boolean mayBeTorn) implements Frame {
    }

    private final StorageFile file;
    private final String description;
    private final int maxRecordBytes;
    private final long sizeBytes;
    /** Reads ahead; no larger than the segment, so a log of many small segments costs what it holds. */
    private final ByteBuffer window;
    /**
     * Where a frame's payload is read to be checksummed, grown to the largest length a header
     * claimed (which the segment holds): scanning a damaged segment for a valid frame ahead tries
     * every offset, and must not allocate a payload at each.
     */
    private byte[] scratch = new byte[0];
    private final byte[] header = new byte[RecordFrame.HEADER_BYTES];
    private final CRC32C checksum = new CRC32C();
    private long windowStart;
    private long offset;
    private long nextIndex;
    private long maxSequence = Long.MIN_VALUE;

    SegmentReader(StorageFile file, String description, long firstIndex, int maxRecordBytes) throws IOException {
        this.file = file;
        this.description = description;
        this.maxRecordBytes = maxRecordBytes;
        this.sizeBytes = file.size();
        this.window = ByteBuffer.allocate((int) Math.min(WINDOW_BYTES, sizeBytes)).limit(0);
        this.nextIndex = firstIndex;
    }

    /** The frame at the current position; a valid one moves the position past it. */
    Frame next() throws IOException {
        Frame frame = frameAt(offset, nextIndex);
        if (frame instanceof Valid valid) {
            offset += RecordFrame.HEADER_BYTES + valid.record().payloadBytes();
            nextIndex++;
            maxSequence = Math.max(maxSequence, valid.record().sequence());
        }
        return frame;
    }

    /**
     * Whether a frame that checksums and holds this or a later record of the segment starts
     * anywhere after the current position. If one does, the bad frame here is damage in the
     * middle of the log; if none does, it may be the torn end of the last write.
     */
    boolean validFrameAhead() throws IOException {
        for (long candidate = offset + 1; candidate + RecordFrame.HEADER_BYTES <= sizeBytes; candidate++) {
            read(candidate, header, RecordFrame.HEADER_BYTES);
            Header parsed = Header.parse(header);
            // Bytes at a random offset rarely pass this, so only true candidates are checksummed.
            long mostIndex = nextIndex + (sizeBytes - candidate) / RecordFrame.HEADER_BYTES;
            if (parsed.index() >= nextIndex && parsed.index() <= mostIndex
                    && frameAt(candidate, parsed.index()) instanceof Valid) {
                return true;
            }
        }
        return false;
    }

    CorruptLogException corrupt(Bad bad) {
        return new CorruptLogException(description, offset, bad.problem());
    }

    String description() {
        return description;
    }

    /** Where the next frame starts: after the last valid one. */
    long offset() {
        return offset;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    long nextIndex() {
        return nextIndex;
    }

    long maxSequence() {
        return maxSequence;
    }

    private Frame frameAt(long at, long expectedIndex) throws IOException {
        long remaining = sizeBytes - at;
        if (remaining == 0) {
            return new End();
        }
        if (remaining < RecordFrame.HEADER_BYTES) {
            return new Bad("only " + remaining + " bytes of a " + RecordFrame.HEADER_BYTES + "-byte header", true);
        }
        read(at, header, RecordFrame.HEADER_BYTES);
        Header parsed = Header.parse(header);
        if (parsed.length() < 0 || parsed.length() > maxRecordBytes) {
            return new Bad("impossible length " + parsed.length() + " (at most " + maxRecordBytes + ")", true);
        }
        if (parsed.frameBytes() > remaining) {
            return new Bad("only " + (remaining - RecordFrame.HEADER_BYTES) + " bytes of a " + parsed.length()
                    + "-byte payload", true);
        }
        if (scratch.length < parsed.length()) {
            scratch = new byte[parsed.length()];
        }
        read(at + RecordFrame.HEADER_BYTES, scratch, parsed.length());
        RecordFrame.startChecksum(checksum, header);
        checksum.update(scratch, 0, parsed.length());
        if ((int) checksum.getValue() != parsed.checksum()) {
            return new Bad("checksum mismatch in record " + expectedIndex, true);
        }
        if (parsed.index() != expectedIndex) {
            return new Bad("record " + parsed.index() + " where record " + expectedIndex + " belongs", false);
        }
        return new Valid(new LogRecord(parsed.index(), parsed.sequence(), parsed.type(),
                Arrays.copyOf(scratch, parsed.length())));
    }

    /** Copies {@code length} bytes at {@code position}, which the caller knows the file holds. */
    private void read(long position, byte[] target, int length) throws IOException {
        try {
            if (length > WINDOW_BYTES) {
                file.readFully(ByteBuffer.wrap(target, 0, length), position);
                return;
            }
            if (position < windowStart || position + length > windowStart + window.limit()) {
                windowStart = position;
                window.clear().limit((int) Math.min(WINDOW_BYTES, sizeBytes - position));
                file.readFully(window, position);
                window.flip();
            }
            window.get((int) (position - windowStart), target, 0, length);
        } catch (EOFException shrunk) {
            throw new IOException(description + " shrank while it was read", shrunk);
        }
    }
}
