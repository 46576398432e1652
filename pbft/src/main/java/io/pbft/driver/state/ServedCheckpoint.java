package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.merkle.MerkleTree;

/**
 * The state as of one checkpoint, read-only, as a {@link StateServer} serves it to fetchers: the
 * Merkle tree over the partitions, the partitions' content and the client table's bytes.
 *
 * <p>It must not change while served, whatever the service executes after the checkpoint: a
 * copy-on-write view of the service ({@link FrozenCheckpoint}). Read from one
 * thread at a time.
 */
public interface ServedCheckpoint {

    /** The checkpoint's sequence number. */
    long sequence();

    /**
     * The Merkle tree over the partition digests as of the checkpoint: its root is the service
     * root, its leaf digests the partition digests. The server only reads it, and may ask for it on
     * every request, so return the same instance rather than a fresh copy.
     */
    MerkleTree merkleTree();

    /** The client table's canonical bytes as of the checkpoint (see {@code ClientTable.encode}). */
    ByteString clientTable();

    /** As {@link io.pbft.statemachine.PartitionedStateMachine#readPartition}, as of the checkpoint. */
    PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes);

    /** Releases what the view holds (copy-on-write partitions): the server stopped serving it. */
    default void close() {}
}
