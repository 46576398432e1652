package io.pbft.storage;

import java.io.IOException;
import java.util.List;

/**
 * The one directory a {@link WriteAheadLog} keeps its files in: the seam between the log and the
 * disk. {@link NioLogStorage} is a real directory; {@link SimulatedDisk} is a disk in memory that
 * loses what was not synced when the simulator crashes it.
 *
 * <p>The contract is that of a POSIX file system, at its weakest: a file's bytes survive a crash
 * only once {@link StorageFile#force()} returned, and a file's existence, deletion or new name
 * only once {@link #syncDirectory()} returned. A rename is atomic: after a crash the target holds
 * either its old or its new content.
 */
public interface LogStorage {

    /** The names of the files in the directory, sorted. */
    List<String> list() throws IOException;

    /** Creates an empty file for reading and appending; fails if it exists. */
    StorageFile create(String name) throws IOException;

    /** Opens an existing file for reading and appending; fails if it does not exist. */
    StorageFile open(String name) throws IOException;

    /** Deletes a file; fails if it does not exist. */
    void delete(String name) throws IOException;

    /** Renames {@code source} to {@code target} atomically, replacing any {@code target}. */
    void rename(String source, String target) throws IOException;

    /** Makes every create, delete and rename so far survive a crash. */
    void syncDirectory() throws IOException;

    /** How error messages name the file: for real files, the path. */
    String describe(String name);
}
