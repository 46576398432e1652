package io.pbft.driver;

import java.util.EnumMap;
import java.util.Map;

/** A {@link DropCounter} for tests on one thread: drops by reason, and pre-prepares that arrived unverified. */
final class CountingDrops implements DropCounter {

    final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);
    int unverifiedPrePrepares;

    @Override
    public void drop(DropReason reason) {
        drops.merge(reason, 1, Integer::sum);
    }

    @Override
    public void redundantPrepare() {}

    @Override
    public void unverifiedPrePrepare() {
        unverifiedPrePrepares++;
    }
}
