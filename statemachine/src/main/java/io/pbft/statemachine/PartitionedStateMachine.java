package io.pbft.statemachine;

import io.pbft.statemachine.merkle.MerkleHash;
import io.pbft.statemachine.merkle.MerkleTree;
import io.pbft.statemachine.merkle.PartitionDigests;

/**
 * A {@link StateMachine} whose state is split into a fixed number of partitions, so that a replica
 * that fell behind fetches only the partitions that differ instead of the whole state.
 *
 * <p>The state digest is the root of a {@link MerkleTree} whose leaf {@code p} is built from
 * {@link #partitionDigest partitionDigest(p)}: {@code stateDigest()} must equal {@code
 * merkleTree().root()}. A lagging replica walks its own tree against a peer's from the root of a
 * stable checkpoint ({@link MerkleTree#differingLeaves}), reads each differing partition from the
 * peer in bounded chunks and installs it ({@link #installPartition}), which checks the content
 * against the certified partition digest before changing anything.
 *
 * <p>The peer serves those chunks from a {@link StateCheckpoint} ({@link #checkpoint()}): the
 * state frozen at the checkpoint's sequence number, which it goes on serving while it executes
 * further. The live {@link #readPartition} and {@link #merkleTree()} follow every execution, so a
 * fetcher's chunks read from them stop matching the certified root at the serving replica's next
 * write.
 *
 * <h2>Why a separate interface rather than default methods on {@code StateMachine}</h2>
 *
 * <ul>
 *   <li>The partition methods only make sense together: a service that overrode {@code
 *       partitionCount()} but inherited a one-partition {@code readPartition} would transfer
 *       wrong state without any error. Implementing this interface makes the compiler ask for all
 *       of them at once.
 *   <li>The one-partition behaviour for other services needs state of its own (when the state
 *       last changed, the snapshot being read, the content being installed), which a default
 *       method cannot hold but a wrapper can: {@link #of(StateMachine)}.
 *   <li>The five-method {@code StateMachine} stays the whole job for a service that does not
 *       need partial transfer, and every existing implementation keeps compiling unchanged.
 * </ul>
 *
 * <h2>Implementing it</h2>
 *
 * <ul>
 *   <li>Map each piece of state to a partition by a fixed function of the state alone (the
 *       key-value store hashes the key). The function and {@link #partitionCount()} are part of
 *       the protocol: every replica must use the same.
 *   <li>Keep a {@link PartitionDigests}: call {@code markChanged(p)} on every write to
 *       partition {@code p}, and answer {@link #stateDigest()}, {@link #partitionDigest} and
 *       {@link #merkleTree()} from it. Writes then cost one bit and digests are computed per
 *       checkpoint, only for changed partitions.
 *   <li>Make {@link #checkpoint()} cheap and its content frozen: copy-on-write of partitions, as
 *       the key-value store does, then {@link StateCheckpoint#of} over the tree and the content
 *       that writes no longer touch.
 *   <li>Everything a peer sends ({@code cursor}s, chunks, digests) is untrusted: reject
 *       malformed input with {@link IllegalArgumentException} and change nothing.
 * </ul>
 *
 * <p>The same determinism rules and threading contract as {@link StateMachine} apply, except that
 * a checkpoint, once taken, may be read and closed from any thread ({@link StateCheckpoint}).
 */
public interface PartitionedStateMachine extends StateMachine, PartitionReader {

    /**
     * The number of partitions: a power of two from 1 to {@link MerkleTree#MAX_LEAVES}, fixed for
     * the life of the service and equal on every replica.
     */
    int partitionCount();

    /**
     * The {@value MerkleHash#BYTES}-byte digest of partition {@code partition}'s content: a
     * function of that content alone. Leaf {@code partition} of {@link #merkleTree()} is built
     * from it.
     *
     * @throws IllegalArgumentException if there is no such partition (the number may come from a
     *     peer)
     */
    byte[] partitionDigest(int partition);

    /**
     * A copy of the Merkle tree over the current partition digests, whose root equals {@link
     * #stateDigest()}. Later executions do not change the copy. To serve node hashes of a
     * checkpoint, use its {@link StateCheckpoint#hash}, which comes with the matching content.
     */
    MerkleTree merkleTree();

    /**
     * Reads one chunk of a partition's <em>current</em> content. State transfer reads from a
     * {@link #checkpoint()} instead, whose content does not move while this replica executes.
     */
    @Override
    PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes);

    /**
     * Freezes the state as it is now into a read-only view whose partitions, digests and root
     * never change afterwards: its {@link StateCheckpoint#root()} equals {@link #stateDigest()}
     * at this call. Called on the execution thread, like {@code execute}; the view may then be
     * read and closed from any thread.
     *
     * <p>Should cost O(partitions) plus digesting the partitions changed since the last digest,
     * not O(state): PBFT takes one every checkpoint interval and keeps several open.
     */
    StateCheckpoint checkpoint();

    /**
     * Starts replacing the content of {@code partition} with chunks read from a peer's {@link
     * StateCheckpoint#readPartition} (or live {@link #readPartition}: the same encoding). Nothing
     * changes until {@link PartitionInstall#commit} succeeds; an install abandoned before that
     * leaves no trace.
     *
     * @throws IllegalArgumentException if the partition does not exist
     */
    PartitionInstall installPartition(int partition);

    /**
     * {@code service} itself if it is partitioned, else a wrapper with one partition whose content
     * is {@code service.snapshot()} and whose digest is {@code service.stateDigest()}. The
     * wrapper's own {@code stateDigest()} is the one-leaf Merkle root {@code
     * MerkleHash.leaf(service.stateDigest())}, like every partitioned service's.
     *
     * <p>After wrapping, use the service only through the wrapper: it learns that the state
     * changed from the calls it forwards.
     */
    static PartitionedStateMachine of(StateMachine service) {
        if (service instanceof PartitionedStateMachine) {
            return (PartitionedStateMachine) service;
        }
        return new SinglePartitionStateMachine(service);
    }
}
