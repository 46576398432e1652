package io.pbft.driver;

import java.util.EnumMap;
import java.util.Map;

/** Counts drops by reason, for tests that look at what a pipeline refused. Single-threaded. */
final class CountingDrops implements DropCounter {

    final Map<DropReason, Integer> byReason = new EnumMap<>(DropReason.class);

    @Override
    public void drop(DropReason reason) {
        byReason.merge(reason, 1, Integer::sum);
    }

    @Override
    public void redundantPrepare() {}

    @Override
    public void unverifiedPrePrepare() {}
}
