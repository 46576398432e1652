package io.pbft.bench;

import io.pbft.storage.SyncPolicy;

/** How the benchmarks' replicas keep their write-ahead log, for comparing its cost ({@code --log}). */
enum ReplicaLog {
    /** Forced to the device before the messages that promised its records leave: the replicas' default. */
    SYNCED(SyncPolicy.EVERY_BATCH),
    /** Written but not forced: survives a killed process, not a crashed machine. */
    UNSYNCED(SyncPolicy.NONE),
    /** No log: a replica that must never be restarted. */
    MEMORY(null);

    /** The replicas' {@code --sync}, or null for no data directory at all. */
    final SyncPolicy sync;

    ReplicaLog(SyncPolicy sync) {
        this.sync = sync;
    }

    /** The setup line of a results file on the replicas' log. */
    String setup() {
        return "replica log: " + switch (this) {
            case SYNCED -> "on disk, forced (fdatasync) per group of records before the messages that promised"
                    + " them leave";
            case UNSYNCED -> "on disk, written but not forced";
            case MEMORY -> "none (in memory only)";
        };
    }
}
