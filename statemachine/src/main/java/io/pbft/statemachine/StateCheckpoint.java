package io.pbft.statemachine;

import io.pbft.statemachine.merkle.MerkleHash;
import io.pbft.statemachine.merkle.MerkleNode;
import io.pbft.statemachine.merkle.MerkleTree;

/**
 * A read-only view of a service's partitions as they were when {@link
 * PartitionedStateMachine#checkpoint()} was called: their digests, the Merkle tree over them and
 * their content, none of which changes afterwards, whatever the service executes.
 *
 * <p>Why: PBFT state transfer serves the state of a stable checkpoint, whose root 2f + 1 replicas
 * certified, while the serving replica keeps executing past it. Chunks read from the live state
 * stop matching that root at the first write; chunks read from the checkpoint always match it.
 * The replica takes a checkpoint after executing each checkpoint sequence number, keeps those it
 * may still serve (the last stable one and the newer ones not yet stable, so several are open at
 * once) and closes the others.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>{@code checkpoint()} is called like every other method of the service: on the thread that
 *       executes, between two operations.
 *   <li>A checkpoint is thread-safe: any thread may call any of its methods at any time,
 *       concurrently with each other, with other checkpoints, and with whatever the service runs
 *       meanwhile ({@code execute}, installs, {@code restore}). It needs no safe publication.
 *   <li>{@link #close()} may be called from any thread and more than once. A read that starts
 *       after it throws {@link IllegalStateException}; a read already under way ends normally on
 *       the frozen data.
 * </ul>
 *
 * <p>{@link #of} makes all of this true for any service that hands it content that it never
 * changes again; implement the interface directly only for a different storage (on disk, say).
 */
public interface StateCheckpoint extends PartitionReader, AutoCloseable {

    /** The number of partitions, as {@link PartitionedStateMachine#partitionCount()}; answered after close too. */
    int partitionCount();

    /**
     * The {@value MerkleHash#BYTES}-byte digest of {@code partition} at the checkpoint.
     *
     * @throws IllegalArgumentException if there is no such partition (the number may come from a peer)
     * @throws IllegalStateException if the checkpoint is closed
     */
    byte[] partitionDigest(int partition);

    /**
     * The Merkle root at the checkpoint: what {@link StateMachine#stateDigest()} answered then,
     * and what replicas put in their CHECKPOINT messages.
     *
     * @throws IllegalStateException if the checkpoint is closed
     */
    byte[] root();

    /**
     * The hash of {@code node} in the checkpoint's tree, to answer a fetcher walking its own tree
     * against this one ({@link MerkleTree#differingLeaves}; {@code checkpoint::hash} is a {@link
     * MerkleTree.NodeHashes}).
     *
     * @throws IllegalArgumentException if {@code node} lies below the leaves
     * @throws IllegalStateException if the checkpoint is closed
     */
    byte[] hash(MerkleNode node);

    /**
     * A fresh copy of the checkpoint's tree, for the caller alone to read or update.
     *
     * @throws IllegalStateException if the checkpoint is closed
     */
    MerkleTree merkleTree();

    /**
     * Reads the partition as it was at the checkpoint, in the same chunk encoding as the live
     * {@link PartitionedStateMachine#readPartition}, so an install accepts it and its content
     * matches {@link #partitionDigest}.
     *
     * @throws IllegalStateException if the checkpoint is closed
     */
    @Override
    PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes);

    /**
     * Drops the checkpoint's references to its frozen data, so that what neither the live state
     * nor another checkpoint still holds can be reclaimed. Other checkpoints and the live state
     * are not affected. Idempotent; no exception.
     */
    @Override
    void close();

    /**
     * A checkpoint over {@code tree} and {@code frozenContent}.
     *
     * @param tree the tree over the partition digests at the checkpoint; copied, so the caller may
     *     go on updating it
     * @param frozenContent reads the partitions as they were at the checkpoint. It must never see
     *     a change afterwards: it reads data the service no longer writes (copy-on-write, or a
     *     copy), so that reading it from any thread needs no lock. It is called only with an
     *     existing partition, a non-null cursor and a positive {@code maxBytes}.
     */
    static StateCheckpoint of(MerkleTree tree, PartitionReader frozenContent) {
        return new FrozenStateCheckpoint(tree, frozenContent);
    }
}
