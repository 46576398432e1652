package io.pbft.statemachine.kv;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionInstall;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleTree;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The key-value store of {@link KeyValueStateMachine}, kept on disk in RocksDB, for a state larger
 * than the heap or one that should outlive the process.
 *
 * <p>It answers every operation byte for byte as {@link KeyValueStateMachine} does, and has the
 * same state digest, partition digests, chunks and snapshot for the same entries, because both run
 * the same code for each ({@code KvExecution}, {@code KvPartitionFunction}, {@code
 * KvPartitionDigest}, {@code KvChunkCodec}, {@code KvSnapshotCodec}): replicas may mix the two.
 *
 * <p>Each partition is one contiguous key range in RocksDB ({@code RocksKvLayout}), so reading a
 * chunk, digesting a partition and installing one touch that range alone, and the heap holds at
 * most one partition (while an install is staged). {@link #snapshot()} and {@link #restore} hold
 * the whole state, as their byte-array signatures require.
 *
 * <h2>Durability</h2>
 *
 * Each operation's writes, each installed partition and each restore reach RocksDB as one atomic
 * batch, logged in RocksDB's write-ahead log but not synced: they survive a crash of the process,
 * not necessarily of the machine. {@link #flush()} syncs the log. A store reopened after a crash
 * holds at least every change made before the last {@code flush()} (or {@link #close()}), plus
 * possibly some whole changes after it, never part of one. When to pay for a sync is the
 * replication library's decision, which logs and checkpoints on its own schedule.
 *
 * <h2>Checkpoints</h2>
 *
 * {@link #checkpoint()} copies the Merkle tree and takes a RocksDB snapshot, O(partitions); its
 * chunks are read through the snapshot from any thread while this store executes. Closing it
 * releases the snapshot. Closing the store closes every checkpoint still open first; a
 * checkpoint then throws {@link IllegalStateException} like any closed one.
 *
 * <h2>Errors and threads</h2>
 *
 * A failure of RocksDB (a full disk, a damaged file) throws {@link UncheckedIOException} naming
 * the directory, from whichever method met it; a failed change is not applied. Not thread-safe,
 * like every {@link io.pbft.statemachine.StateMachine}; its checkpoints are. Methods other than
 * {@code close} throw {@link IllegalStateException} once it is closed.
 */
public final class RocksKeyValueStateMachine implements PartitionedStateMachine, AutoCloseable {

    private final RocksKvDatabase database;
    private final RocksKvPartitions entries;
    private boolean closed;

    private RocksKeyValueStateMachine(RocksKvDatabase database, RocksKvPartitions entries) {
        this.database = database;
        this.entries = entries;
    }

    /**
     * Opens the store in {@code directory} with {@value KeyValueStateMachine#DEFAULT_PARTITION_COUNT}
     * partitions, creating the directory and an empty store if missing.
     *
     * @throws IllegalArgumentException if the store there has another partition count
     * @throws UncheckedIOException if RocksDB cannot open it (another process holds it, say)
     */
    public static RocksKeyValueStateMachine open(Path directory) {
        return open(directory, KeyValueStateMachine.DEFAULT_PARTITION_COUNT);
    }

    /**
     * Opens the store in {@code directory}, creating the directory and an empty store with {@code
     * partitionCount} partitions if missing, and digests every partition (one pass over the
     * data). Every replica must use the same count, as for {@link
     * KeyValueStateMachine#KeyValueStateMachine(int)}; a store keeps the count it was created
     * with.
     *
     * @throws IllegalArgumentException if {@code partitionCount} is not a power of two from 1 to
     *     {@link MerkleTree#MAX_LEAVES}, or the store there has another count
     * @throws IllegalStateException if the store there is of another format or damaged
     * @throws UncheckedIOException if RocksDB cannot open it
     */
    public static RocksKeyValueStateMachine open(Path directory, int partitionCount) {
        KvPartitionFunction partitionFunction = new KvPartitionFunction(partitionCount);
        RocksKvDatabase database = RocksKvDatabase.open(directory);
        try {
            return new RocksKeyValueStateMachine(database, new RocksKvPartitions(database, partitionFunction));
        } catch (RuntimeException e) {
            try {
                database.close(); // else the directory stays locked until the JVM exits
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    @Override
    public byte[] execute(byte[] operation) {
        requireOpen();
        RocksKvWrite write = entries.newWrite();
        byte[] result = KvExecution.execute(write, operation);
        entries.commit(write);
        return result;
    }

    @Override
    public byte[] query(byte[] operation) {
        requireOpen();
        return KvExecution.query(entries.newWrite(), operation); // a query writes nothing, so nothing to commit
    }

    /** The Merkle root over the partition digests. */
    @Override
    public byte[] stateDigest() {
        requireOpen();
        return entries.digests().root();
    }

    @Override
    public byte[] snapshot() {
        requireOpen();
        return entries.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        requireOpen();
        entries.restore(snapshot);
    }

    @Override
    public int partitionCount() {
        return entries.partitionCount();
    }

    @Override
    public byte[] partitionDigest(int partition) {
        requireOpen();
        return entries.partitionDigest(partition);
    }

    @Override
    public MerkleTree merkleTree() {
        requireOpen();
        return entries.digests().tree();
    }

    @Override
    public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
        requireOpen();
        if (cursor == null) {
            throw new IllegalArgumentException("cursor is null");
        }
        return entries.read(null, entries.requirePartition(partition), cursor, maxBytes);
    }

    @Override
    public StateCheckpoint checkpoint() {
        requireOpen();
        return entries.checkpoint();
    }

    /** Stages the partition in memory, then replaces its key range in one batch if the digest matches. */
    @Override
    public PartitionInstall installPartition(int partition) {
        requireOpen();
        return new KvPartitionInstall(entries, entries.requirePartition(partition));
    }

    /** The partition that holds {@code key}. */
    public int partitionOf(String key) {
        return entries.partitionOf(key);
    }

    /** Number of keys stored. */
    public long size() {
        requireOpen();
        return entries.size();
    }

    /**
     * Makes every change so far durable: syncs RocksDB's write-ahead log, so that the store
     * reopened after a crash of the machine holds at least these changes.
     *
     * @throws UncheckedIOException if the sync fails
     */
    public void flush() {
        requireOpen();
        database.syncWal();
    }

    /**
     * Closes the checkpoints still open (waiting for reads under way on them), syncs the
     * write-ahead log as {@link #flush()} does, and releases every native resource. Idempotent.
     *
     * @throws UncheckedIOException if the sync or the close fails; the resources are released all the same
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            entries.close();
        } finally {
            database.close();
        }
    }

    @Override
    public String toString() {
        return "RocksKeyValueStateMachine[" + database.directory() + (closed ? ", closed]" : "]");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the key-value store in " + database.directory() + " is closed");
        }
    }
}
