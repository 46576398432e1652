package io.pbft.driver.state;

/**
 * The bounds of state transfer, shared by the serving and the fetching side so that a fetcher
 * never asks for more than a server answers.
 *
 * @param maxNodeHashes most Merkle node hashes (or partition digests) in one answer; a fetcher
 *     walks the tree in steps that fit, a server answers at most this many
 * @param maxChunkBytes most content bytes a fetcher asks for in one chunk, and what a server
 *     clamps a larger request to (a chunk may still exceed it by one unit of the service's
 *     content, see {@link io.pbft.statemachine.PartitionedStateMachine#readPartition})
 * @param maxPartitionBytes most bytes a fetcher stages for one partition before it gives the
 *     attempt up as a peer's endless stream; must exceed the largest honest partition
 * @param maxClientTableBytes most client table bytes a fetcher accepts
 * @param maxCursorBytes longest partition cursor a fetcher accepts from a peer and sends on
 * @param requestTimeoutMillis how long a fetcher waits for an answer before asking another peer
 * @param maxKeptCheckpoints most checkpoints a server keeps at once, at least 2 (the stable one and
 *     a newer one)
 */
public record StateTransferLimits(int maxNodeHashes, int maxChunkBytes, int maxPartitionBytes,
        int maxClientTableBytes, int maxCursorBytes, long requestTimeoutMillis, int maxKeptCheckpoints) {

    public StateTransferLimits {
        requireAtLeast("maxNodeHashes", maxNodeHashes, 2);
        requireAtLeast("maxChunkBytes", maxChunkBytes, 1);
        requireAtLeast("maxPartitionBytes", maxPartitionBytes, 1);
        requireAtLeast("maxClientTableBytes", maxClientTableBytes, 0);
        requireAtLeast("maxCursorBytes", maxCursorBytes, 1);
        requireAtLeast("requestTimeoutMillis", requestTimeoutMillis, 1);
        requireAtLeast("maxKeptCheckpoints", maxKeptCheckpoints, 2);
    }

    /** Answers of at most 32 KiB of hashes or 1 MiB of content, well inside an 8 MiB frame. */
    public static StateTransferLimits defaults() {
        return new StateTransferLimits(1024, 1 << 20, 256 << 20, 64 << 20, 64 << 10, 2_000, 4);
    }

    public StateTransferLimits withMaxNodeHashes(int hashes) {
        return new StateTransferLimits(hashes, maxChunkBytes, maxPartitionBytes, maxClientTableBytes,
                maxCursorBytes, requestTimeoutMillis, maxKeptCheckpoints);
    }

    public StateTransferLimits withMaxChunkBytes(int bytes) {
        return new StateTransferLimits(maxNodeHashes, bytes, maxPartitionBytes, maxClientTableBytes,
                maxCursorBytes, requestTimeoutMillis, maxKeptCheckpoints);
    }

    public StateTransferLimits withRequestTimeoutMillis(long millis) {
        return new StateTransferLimits(maxNodeHashes, maxChunkBytes, maxPartitionBytes, maxClientTableBytes,
                maxCursorBytes, millis, maxKeptCheckpoints);
    }

    private static void requireAtLeast(String name, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " must be at least " + least + ", got " + value);
        }
    }
}
