package io.pbft.storage;

import java.io.IOException;

/**
 * Bytes on disk that a crash cannot explain: a bad checksum or an impossible length with a valid
 * record after it, a damaged segment that is not the last one, a gap between segments, a
 * snapshot whose checksum fails. Start-up stops: going on would silently lose or invent records
 * the replica may already have acted on. The message names the file and the byte offset.
 */
public final class CorruptLogException extends IOException {

    private final String file;
    private final long offset;

    public CorruptLogException(String file, long offset, String problem) {
        super(file + " is corrupt at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file, as its {@link LogStorage} describes it (for real files, the path). */
    public String file() {
        return file;
    }

    /** Where in the file the damage starts: the first byte of the record that fails. */
    public long offset() {
        return offset;
    }
}
