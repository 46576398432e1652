package io.pbft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.StateDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionInstall;
import io.pbft.statemachine.PartitionReader;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleTree;
import io.pbft.storage.CorruptLogException;
import io.pbft.storage.LogOptions;
import io.pbft.storage.LogStorage;
import io.pbft.storage.WriteAheadLog;
import io.pbft.wire.DurableRecordCodec;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.SignedOpener;
import io.pbft.wire.proto.PartitionChunkFrame;
import io.pbft.wire.proto.StateSnapshot;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A replica's disk: the write-ahead log of its {@link DurableRecord}s, appended and synced once per
 * input before the input's messages leave (group commit), and a snapshot of the state at one of its
 * own checkpoints, every {@code snapshotEvery} sequence numbers, once that checkpoint is stable. After each snapshot and each stable
 * checkpoint the log drops the segments wholly below both, so its size follows the window, not the
 * number of requests served.
 *
 * <p>At a restart, {@link #recover} restores the service from the snapshot (installing only the
 * partitions that differ from what the service holds) and reads back the records, for {@link
 * io.pbft.core.Replica#recover}.
 *
 * <p>Runs on the replica's core thread, as the log requires. The snapshot is read from the
 * checkpoint's frozen view (copy-on-write in memory, a RocksDB snapshot on disk) and written, and
 * read back, a chunk at a time: no side holds the whole state. It is written whole each time: every
 * {@code snapshotEvery} sequence numbers, the state's size in writes.
 */
public final class ReplicaStore implements Durability, Closeable {

    /** What the disk held at start-up, for {@link io.pbft.core.Replica#recover}. */
    public record Recovered(long sequence, ByteString checkpointDigest, ByteString clientTable,
            List<DurableRecord> records) {

        public static final Recovered EMPTY = new Recovered(0, ByteString.EMPTY, ByteString.EMPTY, List.of());

        public Recovered {
            records = List.copyOf(records);
        }

        /** Whether there was nothing on disk: a replica starting for the first time. */
        public boolean isEmpty() {
            return sequence == 0 && records.isEmpty();
        }
    }

    private static final byte RECORD_TYPE = 1;
    /** The chunk size a snapshot reads and writes partitions in: one array per chunk, not per partition. */
    private static final int SNAPSHOT_CHUNK_BYTES = 1 << 20;

    private final int replica;
    private final WriteAheadLog wal;
    private final long snapshotEvery;
    private long snapshotSequence;
    private long stableSequence;
    private long truncatedBelow;
    /** The checkpoint to snapshot once it is stable, with its frozen view; null if none waits. */
    private CheckpointTaken pendingTaken;
    private ServedCheckpoint pendingCheckpoint;

    private ReplicaStore(int replica, WriteAheadLog wal, long snapshotEvery) {
        this.replica = replica;
        this.wal = wal;
        this.snapshotEvery = snapshotEvery;
    }

    /**
     * Opens (or creates) the store of replica {@code replica} in {@code storage}.
     *
     * @param snapshotEvery the state is snapshotted at the checkpoints whose sequence number is a
     *     multiple of it: a larger value writes less, and keeps more log
     * @throws CorruptLogException for damage a crash cannot explain, naming the file and offset
     */
    public static ReplicaStore open(int replica, LogStorage storage, LogOptions options, long snapshotEvery)
            throws IOException {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be at least 1, was " + snapshotEvery);
        }
        return new ReplicaStore(replica, WriteAheadLog.open(storage, options), snapshotEvery);
    }

    /**
     * Restores {@code service} from the snapshot, if any, and reads back every record, opening
     * signed envelopes with openers from {@code openers}. The service must be fresh or hold this
     * replica's earlier state; only partitions that differ are installed.
     *
     * @throws CorruptLogException if the snapshot or a record cannot be read back
     */
    public Recovered recover(PartitionedStateMachine service, StateDigests digests, Supplier<SignedOpener> openers)
            throws IOException {
        SnapshotRestore restore = new SnapshotRestore(service);
        if (!wal.readSnapshot(restore::accept)) {
            if (wal.nextIndex() > wal.firstIndex()) {
                throw corruptSnapshot("the log holds records but there is no snapshot to replay them on");
            }
            // A first start: what the service holds now is the state every record will build on. A
            // service on disk that restarts before its first snapshot is reset to it, not left with
            // writes the log replays a second time.
            try (StateCheckpoint genesis = service.checkpoint()) {
                ByteString clientTable = ByteString.EMPTY;
                CheckpointTaken initial = new CheckpointTaken(0, digests.checkpointDigest(
                        ByteString.copyFrom(genesis.root()), digests.clientTableDigest(clientTable)), clientTable);
                wal.writeSnapshot(frames -> writeSnapshot(initial, genesis.merkleTree(), genesis, frames));
            }
        } else {
            StateSnapshot header = restore.finish();
            ByteString checkpointDigest = digests.checkpointDigest(ByteString.copyFrom(service.stateDigest()),
                    digests.clientTableDigest(header.getClientTable()));
            if (!checkpointDigest.equals(header.getCheckpointDigest())) {
                throw corruptSnapshot("the state restored from the snapshot of checkpoint " + header.getSequence()
                        + " does not have the digest the replica signed for it");
            }
            snapshotSequence = header.getSequence();
        }
        List<DurableRecord> records = new ArrayList<>();
        List<MalformedMessageException> malformed = new ArrayList<>(1);
        wal.replay(record -> {
            if (!malformed.isEmpty()) {
                return;
            }
            try {
                records.add(DurableRecordCodec.decode(record.payload(), openers.get()));
            } catch (MalformedMessageException e) {
                malformed.add(new MalformedMessageException("log record " + record.index() + ": " + e.getMessage()));
            }
        });
        if (!malformed.isEmpty()) {
            throw new CorruptLogException("log", 0, malformed.get(0).getMessage());
        }
        for (DurableRecord record : records) {
            if (record instanceof DurableRecord.Stable stable) {
                stableSequence = Math.max(stableSequence, stable.sequence());
            }
        }
        StateSnapshot header = restore.header;
        return header == null || header.getSequence() == 0
                ? new Recovered(0, ByteString.EMPTY, ByteString.EMPTY, records)
                : new Recovered(header.getSequence(), header.getCheckpointDigest(), header.getClientTable(), records);
    }

    private static CorruptLogException corruptSnapshot(String problem) {
        return new CorruptLogException("snapshot", 0, problem);
    }

    /**
     * Installs a snapshot's partitions into the service as their frames arrive, a chunk at a time;
     * a partition whose digest the service already has is skipped (a service that keeps its own
     * state on disk rewrites only what changed since).
     */
    private static final class SnapshotRestore {
        private final PartitionedStateMachine service;
        StateSnapshot header;
        private int nextPartition;
        private PartitionInstall install;
        private boolean skipping;

        SnapshotRestore(PartitionedStateMachine service) {
            this.service = service;
        }

        void accept(byte[] frame) throws IOException {
            try {
                if (header == null) {
                    header = StateSnapshot.parseFrom(frame);
                    if (header.getPartitionCount() != service.partitionCount()) {
                        throw corruptSnapshot("the snapshot has " + header.getPartitionCount() + " partitions, the"
                                + " service " + service.partitionCount() + ": not this service's snapshot");
                    }
                    return;
                }
                chunk(PartitionChunkFrame.parseFrom(frame));
            } catch (InvalidProtocolBufferException e) {
                throw corruptSnapshot("a frame of the snapshot does not parse: " + e.getMessage());
            }
        }

        private void chunk(PartitionChunkFrame chunk) throws CorruptLogException {
            if (chunk.getIndex() != nextPartition || nextPartition >= service.partitionCount()) {
                throw corruptSnapshot("a chunk of partition " + chunk.getIndex() + " where partition " + nextPartition
                        + " was due");
            }
            byte[] digest = chunk.getDigest().toByteArray();
            if (install == null && !skipping) {
                skipping = Arrays.equals(digest, service.partitionDigest(chunk.getIndex()));
                install = skipping ? null : service.installPartition(chunk.getIndex());
            }
            try {
                if (!skipping) {
                    install.append(chunk.getContent().toByteArray());
                    if (chunk.getLast()) {
                        install.commit(digest);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw corruptSnapshot("partition " + chunk.getIndex() + " of the snapshot does not install: "
                        + e.getMessage());
            }
            if (chunk.getLast()) {
                nextPartition++;
                install = null;
                skipping = false;
            }
        }

        StateSnapshot finish() throws CorruptLogException {
            if (header == null || nextPartition != header.getPartitionCount()) {
                throw corruptSnapshot("the snapshot ends after " + nextPartition + " of its partitions");
            }
            return header;
        }
    }

    @Override
    public void append(List<DurableRecord> records) {
        try {
            for (DurableRecord record : records) {
                wal.append(record.sequence(), RECORD_TYPE, DurableRecordCodec.encode(record));
                if (record instanceof DurableRecord.Stable stable) {
                    stableSequence = Math.max(stableSequence, stable.sequence());
                }
            }
        } catch (IOException e) {
            throw cannotWrite(e);
        }
        snapshotIfStable();
    }

    @Override
    public void sync() {
        try {
            wal.sync();
            truncate();
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Appends and syncs {@code records}. */
    public void persist(List<DurableRecord> records) {
        append(records);
        sync();
    }

    private UncheckedIOException cannotWrite(IOException e) {
        return new UncheckedIOException("replica " + replica + " cannot write its log; it must not send what the log"
                + " does not hold", e);
    }

    /**
     * Snapshots a checkpoint at a multiple of {@code snapshotEvery} once it is stable: replicas that
     * restored a snapshot above the stable checkpoint would execute on from it, and after a whole
     * cluster restart none might hold the stable checkpoint's state that a replica behind needs.
     * Until then the checkpoint's frozen view waits: the state server keeps it until a later one is
     * stable, and the record of stability reaches this store before it drops it.
     */
    @Override
    public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {
        if (taken.sequence() % snapshotEvery != 0 || taken.sequence() <= snapshotSequence) {
            return;
        }
        if (taken.sequence() <= stableSequence) {
            snapshot(taken, checkpoint);
        } else {
            pendingTaken = taken;
            pendingCheckpoint = checkpoint;
        }
    }

    private void snapshotIfStable() {
        if (pendingTaken != null && pendingTaken.sequence() <= stableSequence) {
            CheckpointTaken taken = pendingTaken;
            ServedCheckpoint checkpoint = pendingCheckpoint;
            pendingTaken = null;
            pendingCheckpoint = null;
            snapshot(taken, checkpoint);
        }
    }

    private void snapshot(CheckpointTaken taken, ServedCheckpoint checkpoint) {
        try {
            wal.writeSnapshot(frames -> writeSnapshot(taken, checkpoint.merkleTree(), checkpoint::readPartition,
                    frames));
            snapshotSequence = taken.sequence();
            truncate();
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + replica + " cannot write its snapshot", e);
        }
    }

    /**
     * Snapshots a state fetched from peers, whatever its sequence number: the batches logged before
     * it, which the replica skipped, no longer lead to it, and without this snapshot the log would
     * keep them, untruncated, and a restart would bring them back.
     */
    @Override
    public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {
        if (installed.sequence() <= snapshotSequence) {
            return;
        }
        if (pendingTaken != null && pendingTaken.sequence() <= installed.sequence()) {
            pendingTaken = null;
            pendingCheckpoint = null;
        }
        snapshot(installed, checkpoint);
    }

    /** The header, then every partition a chunk at a time, read from the checkpoint's frozen view. */
    private static void writeSnapshot(CheckpointTaken taken, MerkleTree tree, PartitionReader partitionsAtCheckpoint,
            WriteAheadLog.FrameSink frames) throws IOException {
        int partitions = tree.leafCount();
        frames.accept(StateSnapshot.newBuilder()
                .setSequence(taken.sequence())
                .setCheckpointDigest(taken.checkpointDigest())
                .setClientTable(taken.clientTable())
                .setPartitionCount(partitions)
                .build().toByteArray());
        for (int index = 0; index < partitions; index++) {
            ByteString digest = ByteString.copyFrom(tree.leafDigest(index));
            byte[] cursor = new byte[0];
            PartitionChunk chunk;
            do {
                chunk = partitionsAtCheckpoint.readPartition(index, cursor, SNAPSHOT_CHUNK_BYTES);
                frames.accept(PartitionChunkFrame.newBuilder().setIndex(index).setDigest(digest)
                        .setContent(ByteString.copyFrom(chunk.content())).setLast(chunk.isLast())
                        .build().toByteArray());
                cursor = chunk.next();
            } while (!chunk.isLast());
        }
    }

    /**
     * Drops the log segments that neither the snapshot nor the stable checkpoint needs; first syncs
     * what was appended, so that the records written again at the checkpoint (the view's) are on
     * disk before older copies go.
     */
    private void truncate() throws IOException {
        long needed = Math.min(snapshotSequence, stableSequence);
        if (needed > truncatedBelow) {
            wal.sync();
            wal.truncateBefore(needed);
            truncatedBelow = needed;
        }
    }

    /** The log's size in segments: for metrics and figures. */
    public int segmentCount() {
        return wal.segmentCount();
    }

    @Override
    public void close() throws IOException {
        wal.close();
    }
}
