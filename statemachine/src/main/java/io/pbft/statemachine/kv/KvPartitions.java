package io.pbft.statemachine.kv;

import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.merkle.PartitionDigests;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The entries of the in-memory key-value store, split into partitions by {@link
 * KvPartitionFunction}, with the digests of the partitions kept by a {@link PartitionDigests}.
 *
 * <p>Each partition is its own {@link TreeMap}, created on its first write, so a fresh store costs
 * one array and an empty tree, and digesting a partition walks only its own entries. A write marks
 * its partition changed (one bit) only if it changed a value; nothing is hashed but the key.
 *
 * <p>Checkpoints are copy-on-write per partition, as in PBFT's own library (Castro and Liskov,
 * TOCS 2002, checkpoint management): {@link #checkpoint()} hands the current maps to the
 * checkpoint and marks every partition shared, O(partitions); the first write to a shared
 * partition copies that partition's map alone, and writes go to the copy from then on. The
 * invariant that makes checkpoints safe to read from other threads: a map once handed to a
 * checkpoint is never written again, because the store writes only to maps it made after the last
 * checkpoint (an unshared partition's). Installs and restores put in new maps and so never copy.
 * Closing a checkpoint unshares nothing: PBFT always keeps the newest checkpoint open, so every map
 * the store holds is shared with that one until written anyway, and counting owners would buy
 * nothing.
 */
final class KvPartitions implements KvEntries, KvPartitionInstall.Target {

    private final KvPartitionFunction partitionFunction;
    /** Partition p's entries in key order, or null while it has none. */
    private final TreeMap<String, String>[] partitions;
    private final PartitionDigests digests;
    /** Partitions whose current map a checkpoint may hold: copied before their next write. */
    private final BitSet shared;
    private int size;
    /** Maps copied on write since the store was made: what a test checks to see copying stays per partition. */
    private long partitionCopies;

    @SuppressWarnings("unchecked")
    KvPartitions(int partitionCount) {
        this.partitionFunction = new KvPartitionFunction(partitionCount);
        this.partitions = new TreeMap[partitionCount];
        this.digests = new PartitionDigests(partitionCount, KvPartitionDigest.empty(),
                p -> KvPartitionDigest.of(partition(p)));
        this.shared = new BitSet(partitionCount);
    }

    int partitionCount() {
        return partitions.length;
    }

    @Override
    public int partitionOf(String key) {
        return partitionFunction.partitionOf(key);
    }

    int requirePartition(int partition) {
        return partitionFunction.requirePartition(partition);
    }

    @Override
    public String get(String key) {
        TreeMap<String, String> partition = partitions[partitionOf(key)];
        return partition == null ? null : partition.get(key);
    }

    @Override
    public String write(String key, String value) {
        int p = partitionOf(key);
        TreeMap<String, String> partition = writable(p);
        String previous = value == null ? partition.remove(key) : partition.put(key, value);
        if (previous == null && value != null) {
            size++;
        } else if (previous != null && value == null) {
            size--;
        }
        if (!Objects.equals(previous, value)) {
            digests.markChanged(p);
        }
        return previous;
    }

    /** Partition {@code p}'s map, made first if it has none or copied first if a checkpoint shares it. */
    private TreeMap<String, String> writable(int p) {
        TreeMap<String, String> partition = partitions[p];
        if (partition == null) {
            partition = new TreeMap<>();
        } else if (shared.get(p)) {
            partition = new TreeMap<>(partition); // linear: a TreeMap builds from a sorted map without comparing
            partitionCopies++;
        } else {
            return partition;
        }
        partitions[p] = partition;
        shared.clear(p);
        return partition;
    }

    /** Partition {@code p}'s entries in key order, read-only. */
    NavigableMap<String, String> partition(int p) {
        return readOnly(partitions[p]);
    }

    /**
     * The partitions as they are now, frozen: costs O(partitions) and the digests of partitions
     * changed since the last digest, and copies no entry.
     */
    StateCheckpoint checkpoint() {
        TreeMap<String, String>[] frozen = partitions.clone();
        shared.set(0, partitions.length);
        return StateCheckpoint.of(digests.tree(),
                (p, cursor, maxBytes) -> KvChunkCodec.read(readOnly(frozen[p]), cursor, maxBytes));
    }

    /** Takes ownership of the map. */
    @Override
    public void replacePartition(int p, TreeMap<String, String> entries) {
        size += entries.size() - partition(p).size();
        partitions[p] = entries;
        shared.clear(p);
        digests.markChanged(p);
    }

    /** Replaces every partition with the entries of {@code entries}. */
    void replaceAll(SortedMap<String, String> entries) {
        Arrays.fill(partitions, null);
        shared.clear();
        size = 0;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            write(entry.getKey(), entry.getValue());
        }
        digests.markAllChanged();
    }

    /** A fresh map of every entry in key order. */
    TreeMap<String, String> toSortedMap() {
        TreeMap<String, String> all = new TreeMap<>();
        for (TreeMap<String, String> partition : partitions) {
            if (partition != null) {
                all.putAll(partition);
            }
        }
        return all;
    }

    int size() {
        return size;
    }

    PartitionDigests digests() {
        return digests;
    }

    long partitionCopies() {
        return partitionCopies;
    }

    private static NavigableMap<String, String> readOnly(TreeMap<String, String> partition) {
        return partition == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(partition);
    }
}
