package io.pbft.node;

import io.pbft.storage.SyncPolicy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a replica keeps what must survive a restart: its write-ahead log and the snapshot of its
 * state in {@code directory/log}, and the service's own files (RocksDB for the key-value store) in
 * {@code directory/service}. A replica without storage ({@link #IN_MEMORY}) loses everything
 * when it stops, and must not be started again with the same identity while its cluster runs:
 * it could contradict what it sent before.
 *
 * @param directory the replica's data directory, created if missing; null for {@link #IN_MEMORY}
 * @param syncPolicy whether each group of records is forced to the device before the messages
 *     that promised them leave ({@link SyncPolicy#EVERY_BATCH}, the default), or only handed to
 *     the operating system (survives a killed process, not a crashed machine)
 * @param snapshotEvery the state is snapshotted at checkpoints whose sequence number is a multiple
 *     of this; the log is kept back to the last snapshot
 */
public record ReplicaStorage(Path directory, SyncPolicy syncPolicy, long snapshotEvery) {

    /** Snapshots every 1,024 sequence numbers: 16 checkpoints at the default interval. */
    public static final long DEFAULT_SNAPSHOT_EVERY = 1024;

    public static final ReplicaStorage IN_MEMORY = new ReplicaStorage(null, SyncPolicy.EVERY_BATCH, DEFAULT_SNAPSHOT_EVERY);

    public ReplicaStorage {
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be at least 1, was " + snapshotEvery);
        }
    }

    /** Storage in {@code directory}, synced per group of records, with the default snapshot interval. */
    public static ReplicaStorage in(Path directory) {
        return new ReplicaStorage(Objects.requireNonNull(directory, "directory"), SyncPolicy.EVERY_BATCH,
                DEFAULT_SNAPSHOT_EVERY);
    }

    public ReplicaStorage withSyncPolicy(SyncPolicy policy) {
        return new ReplicaStorage(directory, policy, snapshotEvery);
    }

    public ReplicaStorage withSnapshotEvery(long every) {
        return new ReplicaStorage(directory, syncPolicy, every);
    }

    /** Where the write-ahead log and the snapshot live: {@code log/} in the data directory. */
    public Path logDirectory() {
        return directory.resolve("log");
    }

    /** Where a service that keeps its own state on disk keeps it: {@code service/} in the data directory. */
    public Path serviceDirectory() {
        return directory.resolve("service");
    }

    public boolean isDurable() {
        return directory != null;
    }
}
