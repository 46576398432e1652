package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleTree;

/** A checkpoint served from the service's own frozen view (copy-on-write), with the core's client table. */
final class FrozenCheckpoint implements ServedCheckpoint {

    private final long sequence;
    private final StateCheckpoint view;
    private final MerkleTree tree;
    private final ByteString clientTable;

    FrozenCheckpoint(long sequence, StateCheckpoint view, ByteString clientTable) {
        this.sequence = sequence;
        this.view = view;
        this.tree = view.merkleTree();
        this.clientTable = clientTable;
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
        return view.readPartition(partition, cursor, maxBytes);
    }

    @Override
    public void close() {
        view.close();
    }
}
