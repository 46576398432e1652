package io.pbft.statemachine.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The writes of one operation, held back until the operation ends so that they reach RocksDB in
 * one batch: a crash never leaves half a transaction on disk. Reads see the operation's own
 * writes first, as they would in a store written at once. Holds only the keys the operation
 * names.
 */
final class RocksKvWrite implements KvEntries {

    /** A key the operation wrote: its value stored before the operation and its value now, null when absent. */
    record Change(String key, int partition, String before, String after) {

        boolean changesValue() {
            return !Objects.equals(before, after);
        }
    }

    private final RocksKvPartitions store;
    private final TreeMap<String, Change> written = new TreeMap<>();

    RocksKvWrite(RocksKvPartitions store) {
        this.store = store;
    }

    @Override
    public String get(String key) {
        Change change = written.get(key);
        return change != null ? change.after() : store.get(key);
    }

    @Override
    public String write(String key, String value) {
        Change earlier = written.get(key);
        Change change;
        if (earlier != null) {
            change = new Change(key, earlier.partition(), earlier.before(), value);
        } else {
            int partition = store.partitionOf(key);
            change = new Change(key, partition, store.stored(partition, key), value);
        }
        written.put(key, change);
        return earlier != null ? earlier.after() : change.before();
    }

    /** The keys whose value the operation changed, in key order; a key written back to its old value is not one. */
    List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        for (Change change : written.values()) {
            if (change.changesValue()) {
                changes.add(change);
            }
        }
        return changes;
    }
}
