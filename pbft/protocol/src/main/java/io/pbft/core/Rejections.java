package io.pbft.core;

import java.util.EnumMap;
import java.util.Map;

/** Counters of dropped inputs, one per {@link Rejection}; read by metrics and tests. */
public final class Rejections {

    private final long[] counts = new long[Rejection.values().length];

    void increment(Rejection reason) {
        counts[reason.ordinal()]++;
    }

    public long count(Rejection reason) {
        return counts[reason.ordinal()];
    }

    public long total() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }

    /** The non-zero counters, in declaration order. */
    public Map<Rejection, Long> snapshot() {
        Map<Rejection, Long> result = new EnumMap<>(Rejection.class);
        for (Rejection reason : Rejection.values()) {
            if (counts[reason.ordinal()] > 0) {
                result.put(reason, counts[reason.ordinal()]);
            }
        }
        return result;
    }
}
