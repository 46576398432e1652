package io.pbft.statemachine;

import io.pbft.statemachine.merkle.MerkleHash;
import io.pbft.statemachine.merkle.MerkleTree;
import io.pbft.statemachine.merkle.PartitionDigests;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The one-partition view of a service that does not partition its state: the partition's content
 * is the snapshot, its digest the service's state digest. Made by {@link
 * PartitionedStateMachine#of(StateMachine)}.
 *
 * <p>Cursors are the 4-byte big-endian offset into the snapshot. The snapshot is taken once and
 * kept until the state changes, so reading it in n chunks does not serialise the state n times;
 * that copy is the price of a service without partitions, whose only content is the whole state.
 * An install can only be checked whole, by the service's own {@code restore}, so it is checked at
 * commit: the current state is kept as a snapshot and put back if the digest does not match.
 *
 * <p>A checkpoint holds the snapshot and the digest at the call. It costs a snapshot, O(state),
 * the price again of having no partitions; it shares the snapshot being read, if any, since
 * neither side ever writes into it.
 */
final class SinglePartitionStateMachine implements PartitionedStateMachine {

    private static final int CURSOR_BYTES = Integer.BYTES;

    private final StateMachine service;
    private final PartitionDigests digests;
    /** The snapshot being read, or null once the state has changed since it was taken. */
    private byte[] snapshotBeingRead;

    SinglePartitionStateMachine(StateMachine service) {
        this.service = service;
        // The service's digest is first asked for when it is needed, not when the wrapper is made.
        this.digests = new PartitionDigests(1, new byte[MerkleHash.BYTES], partition -> service.stateDigest());
        digests.markAllChanged();
    }

    @Override
    public byte[] execute(byte[] operation) {
        changed();
        return service.execute(operation);
    }

    @Override
    public byte[] execute(byte[] operation, RequestContext context) {
        changed();
        return service.execute(operation, context);
    }

    @Override
    public byte[] query(byte[] operation) {
        return service.query(operation);
    }

    @Override
    public byte[] stateDigest() {
        return digests.root();
    }

    @Override
    public byte[] snapshot() {
        return service.snapshot();
    }

    @Override
    public void restore(byte[] snapshot) {
        service.restore(snapshot);
        changed();
    }

    @Override
    public int partitionCount() {
        return 1;
    }

    @Override
    public byte[] partitionDigest(int partition) {
        requirePartition(partition);
        return digests.partitionDigest(partition);
    }

    @Override
    public MerkleTree merkleTree() {
        return digests.tree();
    }

    @Override
    public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
        requirePartition(partition);
        return chunkOf(currentSnapshot(), cursor, maxBytes);
    }

    @Override
    public StateCheckpoint checkpoint() {
        byte[] frozen = currentSnapshot();
        return StateCheckpoint.of(digests.tree(), (partition, cursor, maxBytes) -> chunkOf(frozen, cursor, maxBytes));
    }

    @Override
    public PartitionInstall installPartition(int partition) {
        requirePartition(partition);
        return new SnapshotInstall();
    }

    private void changed() {
        digests.markChanged(0);
        snapshotBeingRead = null;
    }

    /** The snapshot of the current state; the array is never written, so readers may share it. */
    private byte[] currentSnapshot() {
        if (snapshotBeingRead == null) {
            snapshotBeingRead = service.snapshot();
        }
        return snapshotBeingRead;
    }

    private static PartitionChunk chunkOf(byte[] snapshot, byte[] cursor, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        int from = offsetOf(cursor, snapshot.length);
        int to = (int) Math.min(snapshot.length, (long) from + maxBytes);
        byte[] next = to == snapshot.length ? new byte[0] : ByteBuffer.allocate(CURSOR_BYTES).putInt(to).array();
        return new PartitionChunk(Arrays.copyOfRange(snapshot, from, to), next);
    }

    private static int offsetOf(byte[] cursor, int snapshotBytes) {
        if (cursor == null) {
            throw new IllegalArgumentException("cursor is null");
        }
        if (cursor.length == 0) {
            return 0;
        }
        int offset = cursor.length == CURSOR_BYTES ? ByteBuffer.wrap(cursor).getInt() : -1;
        // A cursor this side handed out points strictly inside the snapshot.
        if (offset <= 0 || offset >= snapshotBytes) {
            throw new IllegalArgumentException("cursor is not an offset inside the " + snapshotBytes + "-byte snapshot");
        }
        return offset;
    }

    private static void requirePartition(int partition) {
        if (partition != 0) {
            throw new IllegalArgumentException("partition " + partition + " does not exist: the state is one partition");
        }
    }

    /** Collects the snapshot bytes; the service's {@code restore} is the only judge of them. */
    private final class SnapshotInstall implements PartitionInstall {
        private final ByteArrayOutputStream staged = new ByteArrayOutputStream();
        private boolean committed;

        @Override
        public void append(byte[] chunk) {
            requireOpen();
            if (chunk == null) {
                throw new IllegalArgumentException("chunk is null");
            }
            staged.writeBytes(chunk);
        }

        @Override
        public void commit(byte[] expectedDigest) {
            requireOpen();
            byte[] before = service.snapshot();
            restore(staged.toByteArray()); // throws on a malformed snapshot, leaving the state as it was
            if (!Arrays.equals(partitionDigest(0), expectedDigest)) {
                restore(before);
                throw new IllegalArgumentException("installed content does not match the expected partition digest");
            }
            committed = true;
        }

        private void requireOpen() {
            if (committed) {
                throw new IllegalStateException("install already committed");
            }
        }
    }
}
