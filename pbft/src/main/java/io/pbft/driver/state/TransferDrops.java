package io.pbft.driver.state;

import java.util.EnumMap;
import java.util.Map;

/** Counts of {@link TransferDrop}s, in enum order. Not thread-safe, like its owner. */
final class TransferDrops {

    private final EnumMap<TransferDrop, Long> counts = new EnumMap<>(TransferDrop.class);

    void count(TransferDrop reason) {
        counts.merge(reason, 1L, Long::sum);
    }

    long get(TransferDrop reason) {
        return counts.getOrDefault(reason, 0L);
    }

    Map<TransferDrop, Long> snapshot() {
        return new EnumMap<>(counts);
    }
}
