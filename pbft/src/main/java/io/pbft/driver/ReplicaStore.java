package io.pbft.driver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.StateDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionInstall;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.storage.CorruptLogException;
import io.pbft.storage.LogOptions;
import io.pbft.storage.LogRecord;
import io.pbft.storage.LogStorage;
import io.pbft.storage.WriteAheadLog;
import io.pbft.wire.DurableRecordCodec;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.SignedOpener;
import io.pbft.wire.proto.PartitionSnapshot;
import io.pbft.wire.proto.StateSnapshot;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's disk: the write-ahead log of its {@link DurableRecord}s, appended and synced once per
 * input before the input's messages leave (group commit), and a snapshot of the state at one of its
 * own checkpoints, every {@code snapshotEvery} sequence numbers, once that checkpoint is stable.
 * After each snapshot and each stable checkpoint the log drops the segments wholly below both, so
 * its size follows the window, not the number of requests served.
 *
 * <p>At a restart, {@link #recover} restores the service from the snapshot (installing only the
 * partitions that differ from what the service holds) and reads back the records, for {@link
 * io.pbft.core.Replica#recover}.
 *
 * <p>Runs on the replica's core thread, as the log requires. The snapshot is the whole state in one
 * array, read from the copy-on-write checkpoint: right for services kept in memory, which hold it
 * anyway; a service on its own disk keeps its state there instead.
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

    private static final Logger log = LoggerFactory.getLogger(ReplicaStore.class);
    private static final byte RECORD_TYPE = 1;
    /** The chunk size a snapshot reads partitions in: one array per chunk, not per partition. */
    private static final int SNAPSHOT_CHUNK_BYTES = 1 << 20;

    private final int replica;
    private final WriteAheadLog wal;
    private final long snapshotEvery;
    private long snapshotSequence;
    private long stableSequence;
    private boolean snapshotRefused;
    /**
     * Snapshots taken at checkpoints not yet stable, by sequence number, waiting to be written: a
     * replica executes at most a window beyond its stable checkpoint, so they are few.
     */
    private final NavigableMap<Long, byte[]> unstableSnapshots = new TreeMap<>();

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
        long sequence = 0;
        ByteString checkpointDigest = ByteString.EMPTY;
        ByteString clientTable = ByteString.EMPTY;
        Optional<byte[]> bytes = wal.readSnapshot();
        if (bytes.isPresent()) {
            StateSnapshot snapshot = parseSnapshot(bytes.get());
            restore(service, snapshot);
            checkpointDigest = digests.checkpointDigest(ByteString.copyFrom(service.stateDigest()),
                    digests.clientTableDigest(snapshot.getClientTable()));
            if (!checkpointDigest.equals(snapshot.getCheckpointDigest())) {
                throw new CorruptLogException("snapshot", 0, "the state restored from the snapshot of checkpoint "
                        + snapshot.getSequence() + " does not have the digest the replica signed for it");
            }
            sequence = snapshot.getSequence();
            clientTable = snapshot.getClientTable();
            snapshotSequence = sequence;
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
        return new Recovered(sequence, checkpointDigest, clientTable, records);
    }

    private static StateSnapshot parseSnapshot(byte[] bytes) throws CorruptLogException {
        try {
            return StateSnapshot.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptLogException("snapshot", 0, "the snapshot does not parse: " + e.getMessage());
        }
    }

    private static void restore(PartitionedStateMachine service, StateSnapshot snapshot) throws CorruptLogException {
        if (snapshot.getPartitionCount() != service.partitionCount()) {
            throw new CorruptLogException("snapshot", 0, "the snapshot has " + snapshot.getPartitionCount()
                    + " partitions, the service " + service.partitionCount() + ": not this service's snapshot");
        }
        for (PartitionSnapshot partition : snapshot.getPartitionsList()) {
            byte[] digest = partition.getDigest().toByteArray();
            if (Arrays.equals(digest, service.partitionDigest(partition.getIndex()))) {
                continue; // the service holds it already
            }
            try {
                PartitionInstall install = service.installPartition(partition.getIndex());
                partition.getChunksList().forEach(chunk -> install.append(chunk.toByteArray()));
                install.commit(digest);
            } catch (IllegalArgumentException e) {
                throw new CorruptLogException("snapshot", 0, "partition " + partition.getIndex()
                        + " of the snapshot does not install: " + e.getMessage());
            }
        }
    }

    @Override
    public void persist(List<DurableRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            for (DurableRecord record : records) {
                wal.append(record.sequence(), RECORD_TYPE, DurableRecordCodec.encode(record));
                if (record instanceof DurableRecord.Stable stable) {
                    stableSequence = Math.max(stableSequence, stable.sequence());
                }
            }
            wal.sync();
            truncate();
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + replica + " cannot write its log; it must not send what the"
                    + " log does not hold", e);
        }
        writeStableSnapshot();
    }

    /**
     * Snapshots the checkpoint if its sequence number is a multiple of {@code snapshotEvery}: now if
     * it is stable, else once it is. A snapshot above the stable checkpoint would leave a restarted
     * replica with neither the stable checkpoint's state nor the batches that lead to it: if its
     * peers restarted too, a replica behind could then neither fetch nor execute its way there.
     */
    @Override
    public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {
        if (taken.sequence() % snapshotEvery != 0 || taken.sequence() <= snapshotSequence || snapshotRefused) {
            return;
        }
        byte[] snapshot = snapshot(taken, checkpoint);
        if (taken.sequence() > stableSequence) {
            unstableSnapshots.put(taken.sequence(), snapshot);
            return;
        }
        writeSnapshot(taken.sequence(), snapshot);
    }

    /**
     * Snapshots a state fetched from peers, whatever its sequence number: it is stable, and the
     * batches logged before it, which the replica skipped, no longer lead to it. Without this
     * snapshot the log would keep them, untruncated, and a restart would bring them back.
     */
    @Override
    public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {
        if (installed.sequence() <= snapshotSequence || snapshotRefused) {
            return;
        }
        unstableSnapshots.headMap(installed.sequence(), true).clear();
        writeSnapshot(installed.sequence(), snapshot(installed, checkpoint));
    }

    /** Writes the highest snapshot waiting that is now stable, if any. */
    private void writeStableSnapshot() {
        NavigableMap<Long, byte[]> stable = unstableSnapshots.headMap(stableSequence, true);
        if (!stable.isEmpty()) {
            Map.Entry<Long, byte[]> highest = stable.lastEntry();
            stable.clear();
            writeSnapshot(highest.getKey(), highest.getValue());
        }
    }

    private void writeSnapshot(long sequence, byte[] snapshot) {
        try {
            wal.writeSnapshot(snapshot);
            snapshotSequence = sequence;
            truncate();
        } catch (IllegalArgumentException e) {
            // Too large for one snapshot: the log then keeps everything since the last one.
            snapshotRefused = true;
            unstableSnapshots.clear();
            log.error("replica {}: the state at checkpoint {} ({} bytes) is too large to snapshot; the log will"
                    + " grow until restart: {}", replica, sequence, snapshot.length, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + replica + " cannot write its snapshot", e);
        }
    }

    private static byte[] snapshot(CheckpointTaken taken, ServedCheckpoint checkpoint) {
        int partitions = checkpoint.merkleTree().leafCount();
        StateSnapshot.Builder snapshot = StateSnapshot.newBuilder()
                .setSequence(taken.sequence())
                .setCheckpointDigest(taken.checkpointDigest())
                .setClientTable(taken.clientTable())
                .setPartitionCount(partitions);
        for (int index = 0; index < partitions; index++) {
            PartitionSnapshot.Builder partition = PartitionSnapshot.newBuilder().setIndex(index)
                    .setDigest(ByteString.copyFrom(checkpoint.merkleTree().leafDigest(index)));
            byte[] cursor = new byte[0];
            PartitionChunk chunk;
            do {
                chunk = checkpoint.readPartition(index, cursor, SNAPSHOT_CHUNK_BYTES);
                partition.addChunks(ByteString.copyFrom(chunk.content()));
                cursor = chunk.next();
            } while (!chunk.isLast());
            snapshot.addPartitions(partition);
        }
        return snapshot.build().toByteArray();
    }

    /** Drops the log segments that neither the snapshot nor the stable checkpoint needs. */
    private void truncate() throws IOException {
        long needed = Math.min(snapshotSequence, stableSequence);
        if (needed > 0) {
            wal.truncateBefore(needed);
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
