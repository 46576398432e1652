package io.pbft.statemachine.kv;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionReader;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleNode;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A checkpoint of {@link RocksKeyValueStateMachine}: the tree copied at the checkpoint, and the
 * content read through a RocksDB snapshot, which later writes do not move.
 *
 * <p>Why not {@link StateCheckpoint#of} alone: the snapshot is a native resource that RocksDB
 * must be told to release, and releasing it while another thread reads through it would use
 * freed memory. So reads share a lock that the release takes exclusively: {@link #close()} first
 * closes the frozen view (reads that start afterwards throw {@link IllegalStateException}), then
 * waits for the reads under way to end on the snapshot, then releases it. Everything else
 * (argument checks, the tree, closed state) is {@link StateCheckpoint#of}'s.
 */
final class RocksKvCheckpoint implements StateCheckpoint {

    private final StateCheckpoint frozen;
    private final ReadWriteLock snapshotInUse = new ReentrantReadWriteLock();
    /** Releases the snapshot; null once done. Read and written only under the write lock. */
    private Consumer<RocksKvCheckpoint> release;

    /**
     * @param snapshotContent reads the partitions through the snapshot; called only while the
     *     snapshot is held
     * @param release releases the snapshot, once, when no read uses it any more
     */
    RocksKvCheckpoint(MerkleTree tree, PartitionReader snapshotContent, Consumer<RocksKvCheckpoint> release) {
        this.frozen = StateCheckpoint.of(tree, snapshotContent);
        this.release = release;
    }

    @Override
    public int partitionCount() {
        return frozen.partitionCount();
    }

    @Override
    public byte[] partitionDigest(int partition) {
        return frozen.partitionDigest(partition);
    }

    @Override
    public byte[] root() {
        return frozen.root();
    }

    @Override
    public byte[] hash(MerkleNode node) {
        return frozen.hash(node);
    }

    @Override
    public MerkleTree merkleTree() {
        return frozen.merkleTree();
    }

    @Override
    public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
        snapshotInUse.readLock().lock();
        try {
            return frozen.readPartition(partition, cursor, maxBytes);
        } finally {
            snapshotInUse.readLock().unlock();
        }
    }

    @Override
    public void close() {
        frozen.close();
        snapshotInUse.writeLock().lock();
        try {
            if (release != null) {
                release.accept(this);
                release = null;
            }
        } finally {
            snapshotInUse.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Rocks" + frozen;
    }
}
