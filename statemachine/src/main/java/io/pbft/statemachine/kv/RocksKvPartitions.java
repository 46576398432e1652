package io.pbft.statemachine.kv;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.MerkleTree;
import io.pbft.statemachine.merkle.PartitionDigests;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.Snapshot;

/**
 * The entries of {@link RocksKeyValueStateMachine} in RocksDB, split into partitions by {@link
 * KvPartitionFunction} and laid out by {@link RocksKvLayout}, with the digests of the partitions
 * kept by a {@link PartitionDigests} as in the in-memory store.
 *
 * <p>Each partition's entry count is kept in memory and stored with the entries in the same
 * batch, because the partition digest hashes the count before the entries: with the count known,
 * digesting a partition is one scan. At open every partition is digested, in partition order, so
 * one pass over the key space; a stored count that disagrees with its entries fails the open
 * rather than the first checkpoint.
 *
 * <p>Every change reaches RocksDB as one batch (an operation's writes, an installed partition, a
 * restored state), so a reopened store holds the state after some whole number of them.
 *
 * <p>Not thread-safe, like the store, except that checkpoints may be read and closed from any
 * thread ({@link RocksKvCheckpoint}).
 */
final class RocksKvPartitions implements KvPartitionInstall.Target, AutoCloseable {

    private final RocksKvDatabase database;
    private final KvPartitionFunction partitionFunction;
    private final long[] entryCounts;
    private final PartitionDigests digests;
    /** Checkpoints whose snapshot is held, to release before the database closes; they leave it from any thread. */
    private final Set<RocksKvCheckpoint> openCheckpoints = ConcurrentHashMap.newKeySet();

    RocksKvPartitions(RocksKvDatabase database, KvPartitionFunction partitionFunction) {
        this.database = database;
        this.partitionFunction = partitionFunction;
        requireLayout();
        this.entryCounts = storedEntryCounts();
        this.digests = new PartitionDigests(partitionCount(), KvPartitionDigest.empty(), this::digestOf);
        for (int p = 0; p < entryCounts.length; p++) {
            if (entryCounts[p] > 0) {
                digests.markChanged(p);
            }
        }
        digests.root();
    }

    int partitionCount() {
        return partitionFunction.partitionCount();
    }

    @Override
    public int partitionOf(String key) {
        return partitionFunction.partitionOf(key);
    }

    int requirePartition(int partition) {
        return partitionFunction.requirePartition(partition);
    }

    PartitionDigests digests() {
        return digests;
    }

    /** The current digest of {@code partition}, which may come from a peer and is checked. */
    byte[] partitionDigest(int partition) {
        return digests.partitionDigest(requirePartition(partition));
    }

    long size() {
        long size = 0;
        for (long count : entryCounts) {
            size += count;
        }
        return size;
    }

    String get(String key) {
        return stored(partitionOf(key), key);
    }

    /** The stored value of {@code key}, which lies in {@code partition}, or null. */
    String stored(int partition, String key) {
        byte[] value = database.entry(RocksKvLayout.entryKey(partition, key));
        return value == null ? null : RocksKvLayout.value(value);
    }

    /** A fresh buffer for the writes of one operation, to {@link #commit} when it ends. */
    RocksKvWrite newWrite() {
        return new RocksKvWrite(this);
    }

    /** Stores what {@code write} changed, all at once, and marks the partitions changed. */
    void commit(RocksKvWrite write) {
        List<RocksKvWrite.Change> changes = write.changes();
        if (changes.isEmpty()) {
            return;
        }
        TreeMap<Integer, Long> countChanges = new TreeMap<>();
        try (RocksKvDatabase.Batch batch = database.batch()) {
            for (RocksKvWrite.Change change : changes) {
                byte[] entryKey = RocksKvLayout.entryKey(change.partition(), change.key());
                if (change.after() == null) {
                    batch.deleteEntry(entryKey);
                } else {
                    batch.putEntry(entryKey, RocksKvLayout.value(change.after()));
                }
                long countChange = (change.after() != null ? 1 : 0) - (change.before() != null ? 1 : 0);
                countChanges.merge(change.partition(), countChange, Long::sum);
            }
            countChanges.forEach((partition, countChange) ->
                    stageEntryCount(batch, partition, entryCounts[partition] + countChange));
            batch.commit();
        }
        // Only once the batch is in: a failed write leaves memory as it leaves the disk.
        countChanges.forEach((partition, countChange) -> entryCounts[partition] += countChange);
        changes.forEach(change -> digests.markChanged(change.partition()));
    }

    @Override
    public void replacePartition(int partition, TreeMap<String, String> entries) {
        try (RocksKvDatabase.Batch batch = database.batch()) {
            batch.deleteEntries(RocksKvLayout.partitionStart(partition), RocksKvLayout.partitionStart(partition + 1));
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                batch.putEntry(RocksKvLayout.entryKey(partition, entry.getKey()), RocksKvLayout.value(entry.getValue()));
            }
            stageEntryCount(batch, partition, entries.size());
            batch.commit();
        }
        entryCounts[partition] = entries.size();
        digests.markChanged(partition);
    }

    /**
     * Replaces every partition with the state {@code snapshot} encodes, at once.
     *
     * @throws IllegalArgumentException if the snapshot is malformed; nothing is written then, as
     *     it is decoded whole before the first write is staged
     */
    void restore(byte[] snapshot) {
        SortedMap<String, String> entries = KvSnapshotCodec.decode(snapshot);
        long[] newCounts = new long[partitionCount()];
        try (RocksKvDatabase.Batch batch = database.batch()) {
            batch.deleteEntries(RocksKvLayout.partitionStart(0), RocksKvLayout.partitionStart(partitionCount()));
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                int partition = partitionOf(entry.getKey());
                batch.putEntry(RocksKvLayout.entryKey(partition, entry.getKey()), RocksKvLayout.value(entry.getValue()));
                newCounts[partition]++;
            }
            for (int p = 0; p < newCounts.length; p++) {
                stageEntryCount(batch, p, newCounts[p]);
            }
            batch.commit();
        }
        System.arraycopy(newCounts, 0, entryCounts, 0, newCounts.length);
        digests.markAllChanged();
    }

    /**
     * One chunk of {@code partition} as it is now ({@code snapshot} null) or as it was at {@code
     * snapshot}. With a snapshot, safe from any thread: it touches RocksDB alone.
     */
    PartitionChunk read(Snapshot snapshot, int partition, byte[] cursor, int maxBytes) {
        try (RocksKvDatabase.Scan scan = database.scan(snapshot)) {
            return KvChunkCodec.read(after -> scan.partition(partition, after), cursor, maxBytes);
        }
    }

    /**
     * The whole state in the snapshot encoding. Keys are stored partition by partition, so this
     * merges one scan per non-empty partition, all open at once, into key order.
     */
    byte[] snapshot() {
        long size = size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("the key-value store in " + database.directory() + " holds " + size
                    + " entries, more than a snapshot can encode");
        }
        List<RocksKvDatabase.Scan> scans = new ArrayList<>();
        try {
            List<Iterator<Map.Entry<String, String>>> partitions = new ArrayList<>();
            for (int p = 0; p < entryCounts.length; p++) {
                if (entryCounts[p] > 0) {
                    RocksKvDatabase.Scan scan = database.scan(null);
                    scans.add(scan);
                    partitions.add(scan.partition(p, null));
                }
            }
            return KvSnapshotCodec.encode((int) size, new KvKeyOrderMerge(partitions));
        } finally {
            scans.forEach(RocksKvDatabase.Scan::close);
        }
    }

    /** The state as it is now, frozen by a RocksDB snapshot: O(partitions) plus the digests of changed partitions. */
    StateCheckpoint checkpoint() {
        MerkleTree tree = digests.tree();
        Snapshot snapshot = database.takeSnapshot();
        RocksKvCheckpoint checkpoint = new RocksKvCheckpoint(tree,
                (partition, cursor, maxBytes) -> read(snapshot, partition, cursor, maxBytes),
                closed -> {
                    database.releaseSnapshot(snapshot);
                    openCheckpoints.remove(closed); // after the release: close() must not skip one still releasing
                });
        openCheckpoints.add(checkpoint);
        return checkpoint;
    }

    /** Closes the checkpoints still open, waiting for reads under way on them, so the database may close. */
    @Override
    public void close() {
        openCheckpoints.forEach(RocksKvCheckpoint::close);
    }

    private byte[] digestOf(int partition) {
        try (RocksKvDatabase.Scan scan = database.scan(null)) {
            return KvPartitionDigest.of(entryCounts[partition], scan.partition(partition, null));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the key-value store in " + database.directory() + " is damaged: partition "
                    + partition + ": " + e.getMessage(), e);
        }
    }

    private static void stageEntryCount(RocksKvDatabase.Batch batch, int partition, long count) {
        batch.putMetadata(RocksKvLayout.entryCountKey(partition), RocksKvLayout.encodeLong(count));
    }

    /** Writes the layout of a new store, or checks that an existing store has this one. */
    private void requireLayout() {
        byte[] version = database.metadata(RocksKvLayout.FORMAT_VERSION_KEY);
        if (version == null) {
            try (RocksKvDatabase.Batch batch = database.batch()) {
                batch.putMetadata(RocksKvLayout.FORMAT_VERSION_KEY, RocksKvLayout.encodeInt(RocksKvLayout.FORMAT_VERSION));
                batch.putMetadata(RocksKvLayout.PARTITION_COUNT_KEY, RocksKvLayout.encodeInt(partitionCount()));
                batch.commit();
            }
            return;
        }
        int storedVersion = RocksKvLayout.decodeInt(version, "format version");
        if (storedVersion != RocksKvLayout.FORMAT_VERSION) {
            throw new IllegalStateException("the key-value store in " + database.directory() + " has format version "
                    + storedVersion + "; this code reads version " + RocksKvLayout.FORMAT_VERSION);
        }
        byte[] count = database.metadata(RocksKvLayout.PARTITION_COUNT_KEY);
        int storedCount = count == null ? -1 : RocksKvLayout.decodeInt(count, "partition count");
        if (storedCount != partitionCount()) {
            throw new IllegalArgumentException("the key-value store in " + database.directory() + " has "
                    + storedCount + " partitions, not " + partitionCount() + ": every replica must use the same count");
        }
    }

    private long[] storedEntryCounts() {
        long[] counts = new long[partitionCount()];
        for (int p = 0; p < counts.length; p++) {
            byte[] stored = database.metadata(RocksKvLayout.entryCountKey(p));
            counts[p] = stored == null ? 0 : RocksKvLayout.decodeLong(stored, "entry count of partition " + p);
        }
        return counts;
    }
}
