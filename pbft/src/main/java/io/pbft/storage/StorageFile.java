package io.pbft.storage;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One open file of a {@link LogStorage}. Writes only append: the log never rewrites a byte. */
public interface StorageFile extends Closeable {

    /** The file's length in bytes, including appended bytes not yet forced. */
    long size() throws IOException;

    /**
     * Reads into {@code target} from byte {@code position}, as many bytes as fit and exist;
     * returns how many, -1 at or past the end.
     */
    int read(ByteBuffer target, long position) throws IOException;

    /** Fills {@code target} from byte {@code position}; fails if the file ends first. */
    default void readFully(ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int count = read(target, at);
            if (count < 0) {
                throw new EOFException("file ended at byte " + at + " with " + target.remaining() + " bytes to read");
            }
            at += count;
        }
    }

    /** Appends every remaining byte of {@code source} at the end of the file. */
    void append(ByteBuffer source) throws IOException;

    /** Cuts the file to {@code sizeBytes}; later appends go there. */
    void truncate(long sizeBytes) throws IOException;

    /** Makes the file's bytes and length survive a crash. */
    void force() throws IOException;
}
