package io.pbft.statemachine.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database under {@link RocksKeyValueStateMachine}: owns every native object, turns
 * each {@link RocksDBException} into an {@link UncheckedIOException} that names the directory,
 * and speaks in the entries and metadata of {@link RocksKvLayout}, so the store above it sees
 * neither column families nor native handles.
 *
 * <p>Threads: RocksDB itself is thread-safe, and so is everything here but {@link #close()}, which
 * the owner calls once nothing else can use the database (the store closes its checkpoints
 * first).
 */
final class RocksKvDatabase implements AutoCloseable {

    private static final byte[] ENTRIES_FAMILY = "entries".getBytes(StandardCharsets.US_ASCII);

    private final Path directory;
    private final DBOptions databaseOptions;
    private final ColumnFamilyOptions familyOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle metadata;
    private final ColumnFamilyHandle entries;
    private final WriteOptions writeOptions;
    private boolean closed;

    private RocksKvDatabase(Path directory, DBOptions databaseOptions, ColumnFamilyOptions familyOptions,
            List<ColumnFamilyHandle> families, RocksDB db) {
        this.directory = directory;
        this.databaseOptions = databaseOptions;
        this.familyOptions = familyOptions;
        this.db = db;
        this.metadata = families.get(0);
        this.entries = families.get(1);
        // The WAL makes each write survive a crash of this process; not syncing it on every write
        // leaves to the replication library when to pay for surviving a crash of the machine
        // (RocksKeyValueStateMachine.flush).
        this.writeOptions = new WriteOptions().setDisableWAL(false).setSync(false);
    }

    /** Opens the database in {@code directory}, creating the directory and the database if missing. */
    static RocksKvDatabase open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the key-value store directory " + directory, e);
        }
        RocksDB.loadLibrary();
        DBOptions databaseOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
                new ColumnFamilyDescriptor(ENTRIES_FAMILY, familyOptions));
        List<ColumnFamilyHandle> families = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(databaseOptions, directory.toString(), descriptors, families);
            return new RocksKvDatabase(directory, databaseOptions, familyOptions, families, db);
        } catch (RocksDBException e) {
            familyOptions.close();
            databaseOptions.close();
            throw failure(directory, "open", e);
        }
    }

    Path directory() {
        return directory;
    }

    /** The stored value of an entry key, or null. */
    byte[] entry(byte[] entryKey) {
        return call("read", () -> db.get(entries, entryKey));
    }

    /** The stored value of a metadata key, or null. */
    byte[] metadata(byte[] key) {
        return call("read the metadata of", () -> db.get(metadata, key));
    }

    /** Collects writes that become visible and durable together at {@link Batch#commit}, or not at all. */
    Batch batch() {
        return new Batch();
    }

    /** Reads entries as they are now ({@code snapshot} null) or as they were at {@code snapshot}. */
    Scan scan(Snapshot snapshot) {
        return new Scan(snapshot);
    }

    /** Freezes the entries as they are now; hand it back to {@link #releaseSnapshot} before {@link #close()}. */
    Snapshot takeSnapshot() {
        return db.getSnapshot();
    }

    void releaseSnapshot(Snapshot snapshot) {
        db.releaseSnapshot(snapshot);
    }

    /** Writes the WAL to disk and syncs it: every batch committed so far survives a crash of the machine. */
    void syncWal() {
        run("sync the write-ahead log of", () -> db.flushWal(true));
    }

    /**
     * Syncs the WAL, then releases every native object even if that fails. Idempotent. Snapshots
     * must have been released: RocksDB refuses to close over one.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RocksDBException failed = null;
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            failed = e;
        }
        try {
            db.closeE(); // closes the column family handles it opened too, and frees the database even when it fails
        } catch (RocksDBException e) {
            failed = failed == null ? e : withSuppressed(failed, e);
        }
        writeOptions.close();
        familyOptions.close();
        databaseOptions.close();
        if (failed != null) {
            throw failure(directory, "close", failed);
        }
    }

    private static RocksDBException withSuppressed(RocksDBException first, RocksDBException second) {
        first.addSuppressed(second);
        return first;
    }

    private static UncheckedIOException failure(Path directory, String action, RocksDBException e) {
        return new UncheckedIOException("cannot " + action + " the key-value store in " + directory + ": "
                + e.getMessage(), new IOException(e));
    }

    @FunctionalInterface
    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    @FunctionalInterface
    private interface RocksAction {
        void run() throws RocksDBException;
    }

    private <T> T call(String action, RocksCall<T> call) {
        try {
            return call.call();
        } catch (RocksDBException e) {
            throw failure(directory, action, e);
        }
    }

    private void run(String action, RocksAction rocksAction) {
        call(action, () -> {
            rocksAction.run();
            return null;
        });
    }

    /** Writes to entries and metadata, applied at once by {@link #commit}. Not thread-safe. */
    final class Batch implements AutoCloseable {

        private final WriteBatch writes = new WriteBatch();

        void putEntry(byte[] entryKey, byte[] value) {
            run("stage a write to", () -> writes.put(entries, entryKey, value));
        }

        void deleteEntry(byte[] entryKey) {
            run("stage a write to", () -> writes.delete(entries, entryKey));
        }

        /** Deletes every entry key from {@code from} (included) to {@code to} (excluded). */
        void deleteEntries(byte[] from, byte[] to) {
            run("stage a write to", () -> writes.deleteRange(entries, from, to));
        }

        void putMetadata(byte[] key, byte[] value) {
            run("stage a write to", () -> writes.put(metadata, key, value));
        }

        void commit() {
            run("write to", () -> db.write(writeOptions, writes));
        }

        @Override
        public void close() {
            writes.close();
        }
    }

    /**
     * One iterator over the entries, repositioned by each {@link #partition} call, so a scan reads
     * one partition at a time. Safe to use from any thread, one thread at a time.
     */
    final class Scan implements AutoCloseable {

        private final ReadOptions options;
        private final RocksIterator iterator;

        private Scan(Snapshot snapshot) {
            this.options = new ReadOptions().setSnapshot(snapshot);
            this.iterator = db.newIterator(entries, options);
        }

        /**
         * The entries of {@code partition} in key order with keys after {@code keyOrNull} (all of
         * them if it is null), read as the iterator is advanced. Valid until the next call.
         */
        Iterator<Map.Entry<String, String>> partition(int partition, String keyOrNull) {
            if (keyOrNull == null) {
                iterator.seek(RocksKvLayout.partitionStart(partition));
            } else {
                byte[] after = RocksKvLayout.entryKey(partition, keyOrNull);
                iterator.seek(after);
                if (iterator.isValid() && Arrays.equals(iterator.key(), after)) {
                    iterator.next();
                }
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    if (iterator.isValid()) {
                        return RocksKvLayout.inPartition(iterator.key(), partition);
                    }
                    requireNoError();
                    return false;
                }

                @Override
                public Map.Entry<String, String> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException("partition " + partition + " has no more entries");
                    }
                    Map.Entry<String, String> entry = Map.entry(RocksKvLayout.key(iterator.key()),
                            RocksKvLayout.value(iterator.value()));
                    iterator.next();
                    return entry;
                }
            };
        }

        /** An iterator stops on an I/O error as at the end; only its status tells them apart. */
        private void requireNoError() {
            run("read", iterator::status);
        }

        @Override
        public void close() {
            iterator.close();
            options.close();
        }
    }
}
