package io.pbft.statemachine.kv;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The entries of several partitions merged into one run in key order, pulling one entry at a time
 * from each: how a store that keeps partitions apart produces the whole state in the order of a
 * snapshot without sorting it in memory. Each key lies in one partition only, so keys never tie.
 */
final class KvKeyOrderMerge implements Iterator<Map.Entry<String, String>> {

    /** A partition's next entry and the rest of the partition behind it. */
    private record Head(Map.Entry<String, String> entry, Iterator<Map.Entry<String, String>> rest) {}

    private final PriorityQueue<Head> heads =
            new PriorityQueue<>(Comparator.comparing((Head head) -> head.entry().getKey()));

    /** @param partitions each in key order */
    KvKeyOrderMerge(List<Iterator<Map.Entry<String, String>>> partitions) {
        partitions.forEach(this::advance);
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public Map.Entry<String, String> next() {
        Head smallest = heads.poll();
        if (smallest == null) {
            throw new NoSuchElementException("every partition is read");
        }
        advance(smallest.rest());
        return smallest.entry();
    }

    private void advance(Iterator<Map.Entry<String, String>> partition) {
        if (partition.hasNext()) {
            heads.add(new Head(partition.next(), partition));
        }
    }
}
