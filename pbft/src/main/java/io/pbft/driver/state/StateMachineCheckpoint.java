package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.Objects;

/**
 * Serves a checkpoint from a service instance that nobody changes any more: a copy of the state
 * as of the checkpoint (for example a fresh instance restored from the service's snapshot), until
 * copy-on-write checkpoint views replace it. The Merkle tree is taken once, at construction.
 */
public final class StateMachineCheckpoint implements ServedCheckpoint {

    private final long sequence;
    private final PartitionedStateMachine frozen;
    private final MerkleTree tree;
    private final ByteString clientTable;

    /**
     * @param frozen the state as of the checkpoint; the caller must neither execute on it nor
     *     install into it afterwards
     */
    public StateMachineCheckpoint(long sequence, PartitionedStateMachine frozen, ByteString clientTable) {
        this.sequence = sequence;
        this.frozen = Objects.requireNonNull(frozen, "frozen");
        this.tree = frozen.merkleTree();
        this.clientTable = Objects.requireNonNull(clientTable, "clientTable");
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public MerkleTree merkleTree() {
        return tree;
    }

    @Override
    public ByteString clientTable() {
        return clientTable;
    }

    @Override
    public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
        return frozen.readPartition(partition, cursor, maxBytes);
    }
}
