package io.pbft.statemachine.kv;

import io.pbft.statemachine.PartitionInstall;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stages the entries of one partition from chunks, checking each chunk alone (framing, UTF-8, key
 * order, and that every key hashes to this partition) and the whole against the expected digest
 * at commit. The store is touched only by a successful commit.
 *
 * <p>Staged entries are held in memory: one partition's, which the caller bounds, never the whole
 * state.
 */
final class KvPartitionInstall implements PartitionInstall {

    /** The store a verified partition goes into. */
    interface Target {

        int partitionOf(String key);

        /** Replaces partition {@code partition} with {@code entries}, all of which belong to it, at once. */
        void replacePartition(int partition, TreeMap<String, String> entries);
    }

    private final Target store;
    private final int partition;
    private final TreeMap<String, String> staged = new TreeMap<>();
    private boolean committed;

    KvPartitionInstall(Target store, int partition) {
        this.store = store;
        this.partition = partition;
    }

    @Override
    public void append(byte[] chunk) {
        requireOpen();
        // Check the whole chunk before staging any of it, so a rejected chunk leaves no trace.
        List<Map.Entry<String, String>> entries = KvChunkCodec.decode(chunk);
        if (!entries.isEmpty() && !staged.isEmpty() && staged.lastKey().compareTo(entries.get(0).getKey()) >= 0) {
            throw new IllegalArgumentException("chunk does not continue after the last key staged");
        }
        for (Map.Entry<String, String> entry : entries) {
            if (store.partitionOf(entry.getKey()) != partition) {
                throw new IllegalArgumentException("chunk holds a key of partition " + store.partitionOf(entry.getKey())
                        + ", not of partition " + partition);
            }
        }
        for (Map.Entry<String, String> entry : entries) {
            staged.put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public void commit(byte[] expectedDigest) {
        requireOpen();
        if (!Arrays.equals(KvPartitionDigest.of(staged), expectedDigest)) {
            throw new IllegalArgumentException("partition " + partition + " as received does not match the expected digest");
        }
        store.replacePartition(partition, staged); // no copy: a committed install stages nothing more
        committed = true;
    }

    private void requireOpen() {
        if (committed) {
            throw new IllegalStateException("install of partition " + partition + " already committed");
        }
    }
}
