package io.pbft.core;

import java.util.Objects;

/**
 * What one replica's core needs to know: the cluster size, its own id, and the knobs of the
 * protocol. {@code f} follows from {@code replicaCount}: the largest f with 3f + 1 <= n.
 *
 * @param windowSize L in the paper: sequence numbers above lowWatermark + L are not accepted
 * @param checkpointInterval K: a checkpoint is taken at every multiple of K
 * @param batchSize the most requests the primary puts in one pre-prepare
 * @param maxBatchBytes the most request bytes ({@link io.pbft.core.message.Request#sizeBytes()})
 *     in one pre-prepare; also the largest request accepted, so that every batch fits a frame
 * @param batchDelayMillis how long the primary waits to fill a batch when it could propose now
 * @param maxInFlightBatches how many sequence numbers the primary lets run ahead of execution
 *     before it holds requests back to batch them
 * @param statusIntervalMillis how often a replica reports its progress so peers can retransmit
 * @param retransmitLimit the most sequence numbers one answer to a status retransmits
 * @param viewChangeTimeoutMillis how long a backup waits for a request it knows of to execute
 *     before it votes the primary out; and, doubled on each consecutive view change without
 *     progress, how long it waits for the new view
 * @param checkInvariants whether the core checks its own invariants after every input (always in
 *     tests and the simulator; costs a pass over the log per input)
 * @param slowPrimaryDefence when backups vote out a primary that orders far slower than recent
 *     ones ({@link SlowPrimaryDefence#OFF} to rely on the request timer alone)
 * @param maxClientSessions the most clients whose last request and result a replica keeps: at
 *     each checkpoint beyond it, the clients that were ordered least recently are forgotten (the
 *     same ones on every correct replica), so memory does not grow with the number of clients ever
 *     seen; see {@code ClientTable}
 * @param maxClockSkewMillis how far the time a primary proposes for a batch may be from a backup's
 *     clock before the backup refuses the pre-prepare: wide enough for clocks kept by NTP and a
 *     batch's trip between replicas, narrow enough that the service gets a time within this of the
 *     real one. Only liveness depends on it: clocks further apart than this stall the views whose
 *     primary's clock is off, until one with a closer clock is primary
 */
public record ReplicaConfig(
        int replicaCount,
        int replicaId,
        int windowSize,
        int checkpointInterval,
        int batchSize,
        int maxBatchBytes,
        long batchDelayMillis,
        int maxInFlightBatches,
        long statusIntervalMillis,
        int retransmitLimit,
        long viewChangeTimeoutMillis,
        boolean checkInvariants,
        SlowPrimaryDefence slowPrimaryDefence,
        int maxClientSessions,
        long maxClockSkewMillis) {

    public static final int MIN_BATCH_BYTES = 1024;
    public static final int DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
    public static final long DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS = 2_000;
    public static final int DEFAULT_MAX_CLIENT_SESSIONS = 10_000;
    /**
     * W: how many timestamps per client the replicas remember as ordered, and so how many requests
     * one client may have outstanding; a request W or more below its client's newest ordered one
     * is refused as too old (see {@code ClientTable}). A constant of the protocol rather than a
     * knob: every replica must apply the same window, and its client table's encoding depends on it.
     */
    public static final int CLIENT_WINDOW = 64;

    public ReplicaConfig {
        require(replicaCount >= 1, "replicaCount must be at least 1, was " + replicaCount);
        require(replicaId >= 0 && replicaId < replicaCount,
                "replicaId must be in [0, " + replicaCount + "), was " + replicaId);
        require(checkpointInterval >= 1, "checkpointInterval must be at least 1, was " + checkpointInterval);
        require(windowSize >= 2 * checkpointInterval && windowSize % checkpointInterval == 0,
                "windowSize must be a multiple of checkpointInterval and at least twice it, was "
                        + windowSize + " with checkpointInterval " + checkpointInterval);
        require(batchSize >= 1, "batchSize must be at least 1, was " + batchSize);
        require(maxBatchBytes >= MIN_BATCH_BYTES,
                "maxBatchBytes must be at least " + MIN_BATCH_BYTES + ", was " + maxBatchBytes);
        require(batchDelayMillis >= 0, "batchDelayMillis must not be negative, was " + batchDelayMillis);
        require(maxInFlightBatches >= 1 && maxInFlightBatches <= windowSize,
                "maxInFlightBatches must be in [1, windowSize], was " + maxInFlightBatches);
        require(statusIntervalMillis >= 1, "statusIntervalMillis must be at least 1, was " + statusIntervalMillis);
        require(retransmitLimit >= 1, "retransmitLimit must be at least 1, was " + retransmitLimit);
        require(viewChangeTimeoutMillis >= 1,
                "viewChangeTimeoutMillis must be at least 1, was " + viewChangeTimeoutMillis);
        Objects.requireNonNull(slowPrimaryDefence, "slowPrimaryDefence");
        require(maxClientSessions >= 1, "maxClientSessions must be at least 1, was " + maxClientSessions);
        require(maxClockSkewMillis >= 1, "maxClockSkewMillis must be at least 1, was " + maxClockSkewMillis);
    }

    public static final long DEFAULT_MAX_CLOCK_SKEW_MILLIS = 30_000;

    /** Defaults tuned for a cluster on one machine; every field can be overridden. */
    public static ReplicaConfig defaults(int replicaCount, int replicaId) {
        return new ReplicaConfig(replicaCount, replicaId, 256, 64, 128, DEFAULT_MAX_BATCH_BYTES, 0, 2, 200, 32,
                DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS, false, SlowPrimaryDefence.ON,
                DEFAULT_MAX_CLIENT_SESSIONS, DEFAULT_MAX_CLOCK_SKEW_MILLIS);
    }

    public int f() {
        return (replicaCount - 1) / 3;
    }

    /** 2f + 1: the size of a quorum that intersects any other in at least one correct replica. */
    public int quorum() {
        return 2 * f() + 1;
    }

    public int primaryOf(long view) {
        return (int) Math.floorMod(view, (long) replicaCount);
    }

    public ReplicaConfig withReplicaId(int id) {
        return new ReplicaConfig(replicaCount, id, windowSize, checkpointInterval, batchSize, maxBatchBytes,
                batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit, viewChangeTimeoutMillis,
                checkInvariants, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withBatching(int newBatchSize, long newBatchDelayMillis, int newMaxInFlightBatches) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, newBatchSize,
                maxBatchBytes, newBatchDelayMillis, newMaxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withMaxBatchBytes(int newMaxBatchBytes) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                newMaxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withWindow(int newWindowSize, int newCheckpointInterval) {
        return new ReplicaConfig(replicaCount, replicaId, newWindowSize, newCheckpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withStatusInterval(long newStatusIntervalMillis) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, newStatusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withViewChangeTimeout(long newViewChangeTimeoutMillis) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                newViewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withInvariantChecks(boolean check) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, check, slowPrimaryDefence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withSlowPrimaryDefence(SlowPrimaryDefence defence) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, defence, maxClientSessions, maxClockSkewMillis);
    }

    public ReplicaConfig withMaxClientSessions(int sessions) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, sessions, maxClockSkewMillis);
    }

    public ReplicaConfig withMaxClockSkew(long millis) {
        return new ReplicaConfig(replicaCount, replicaId, windowSize, checkpointInterval, batchSize,
                maxBatchBytes, batchDelayMillis, maxInFlightBatches, statusIntervalMillis, retransmitLimit,
                viewChangeTimeoutMillis, checkInvariants, slowPrimaryDefence, maxClientSessions, millis);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
