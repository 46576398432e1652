package io.pbft.statemachine.kv;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionInstall;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A replicated key-value store: get, put, delete, compare-and-set and multi-key transactions
 * over UTF-8 string keys and values.
 *
 * <p>Operations and results are the protobuf messages {@code pbft.kv.KvOperation} and {@code
 * pbft.kv.KvResult} ({@code src/main/proto/kv.proto}). Clients build operations with {@link
 * KvOps} and {@link Transaction}, and read results with {@link
 * io.pbft.statemachine.kv.KvResult#decode}.
 *
 * <p>Semantics, every operation answering with the value it saw:
 *
 * <ul>
 *   <li>get: the current value, or absent.
 *   <li>put, delete: the previous value, or absent; delete of an absent key changes nothing.
 *   <li>compare-and-set: writes the new value if the key holds the expected value (or, with the
 *       expected value absent, if the key does not exist); answers success and the value the key
 *       holds afterwards.
 *   <li>transaction: if every condition holds against the state before the transaction, applies
 *       all writes in order, else none; answers committed and the values of the requested reads
 *       after the transaction.
 *   <li>malformed bytes, an empty operation, or a write sent to {@link #query}: an {@code
 *       invalid} result with a fixed message, and no change.
 * </ul>
 *
 * <p>The state is split into {@link #partitionCount()} partitions by a hash of the key (256 by
 * default; see {@code KvPartitionFunction} for the function), each a {@link TreeMap}, so digests, chunks
 * and snapshots follow key order on every replica. The state digest is the Merkle root over the
 * partition digests ({@code KvPartitionDigest}); a write only marks its partition changed, and a
 * changed partition is digested again when a digest is next asked for, at a checkpoint. The
 * partition count and function, the partition digest, and the chunk encoding ({@code
 * KvChunkCodec}) are part of the protocol: replicas that differ in any of them never agree.
 *
 * <p>A fresh instance allocates no partition yet: tests in other modules use one as the
 * sequential model, applying the same operations and comparing results.
 *
 * <p>{@link #checkpoint()} is copy-on-write per partition ({@code KvPartitions}): O(partitions) to
 * take, then the first write to each partition copies that partition once.
 *
 * <p>Not thread-safe, like every {@link StateMachine}: the library calls it from one thread. Its
 * checkpoints are thread-safe: any thread may read them while it executes ({@link
 * StateCheckpoint}).
 */
public final class KeyValueStateMachine implements PartitionedStateMachine {

    /** Partitions of a store made with the no-argument constructor. */
    public static final int DEFAULT_PARTITION_COUNT = 256;

    private final KvPartitions entries;

    /** Creates an empty store with {@value #DEFAULT_PARTITION_COUNT} partitions. */
    public KeyValueStateMachine() {
        this(DEFAULT_PARTITION_COUNT);
    }

    /**
     * Creates an empty store with {@code partitionCount} partitions, a power of two from 1 to
     * {@link MerkleTree#MAX_LEAVES}. More partitions make a checkpoint digest rehash less after
     * scattered writes, the first write after a checkpoint copy a smaller partition, and a
     * transfer fetch less per differing partition, for 96 bytes of tree, a reference and a bit
     * each. Every replica must use the same count.
     */
    public KeyValueStateMachine(int partitionCount) {
        this.entries = new KvPartitions(partitionCount);
    }

    @Override
    public byte[] execute(byte[] operation) {
        return KvExecution.execute(entries, operation);
    }

    @Override
    public byte[] query(byte[] operation) {
        return KvExecution.query(entries, operation);
    }

    /** The Merkle root over the partition digests. */
    @Override
    public byte[] stateDigest() {
        return entries.digests().root();
    }

    @Override
    public byte[] snapshot() {
        return KvSnapshotCodec.encode(entries.toSortedMap());
    }

    @Override
    public void restore(byte[] snapshot) {
        // Decode fully before touching the state, so a malformed snapshot leaves it intact.
        entries.replaceAll(KvSnapshotCodec.decode(snapshot));
    }

    @Override
    public int partitionCount() {
        return entries.partitionCount();
    }

    @Override
    public byte[] partitionDigest(int partition) {
        return entries.digests().partitionDigest(entries.requirePartition(partition));
    }

    @Override
    public MerkleTree merkleTree() {
        return entries.digests().tree();
    }

    @Override
    public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
        if (cursor == null) {
            throw new IllegalArgumentException("cursor is null");
        }
        return KvChunkCodec.read(entries.partition(entries.requirePartition(partition)), cursor, maxBytes);
    }

    @Override
    public StateCheckpoint checkpoint() {
        return entries.checkpoint();
    }

    @Override
    public PartitionInstall installPartition(int partition) {
        return new KvPartitionInstall(entries, entries.requirePartition(partition));
    }

    /** The partition that holds {@code key}. */
    public int partitionOf(String key) {
        return entries.partitionOf(key);
    }

    /** Number of keys stored. */
    public int size() {
        return entries.size();
    }

    /** An immutable copy of the entries in key order, for tests and diagnostics. */
    public SortedMap<String, String> entries() {
        return Collections.unmodifiableSortedMap(entries.toSortedMap());
    }
}
