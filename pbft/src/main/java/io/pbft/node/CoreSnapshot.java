package io.pbft.node;

import io.pbft.core.Rejection;
import io.pbft.core.Replica;

/**
 * What the core thread publishes after each input, so that metrics and status readers on other
 * threads never touch the (single-threaded) core itself.
 */
record CoreSnapshot(long view, int primary, boolean changingView, boolean needsState, long lastExecuted,
        long highestSequence, long lowWatermark, long stableCheckpoint, int logSize, int knownClients,
        long[] rejections) {

    static final CoreSnapshot INITIAL =
            new CoreSnapshot(0, 0, false, false, 0, 0, 0, 0, 0, 0, new long[Rejection.values().length]);

    /** Must run on the core thread. */
    static CoreSnapshot of(Replica replica) {
        Rejection[] reasons = Rejection.values();
        long[] counts = new long[reasons.length];
        for (Rejection reason : reasons) {
            counts[reason.ordinal()] = replica.rejections().count(reason);
        }
        return new CoreSnapshot(replica.view(), replica.primary(), !replica.isActive(), replica.needsState(),
                replica.lastExecuted(), replica.highestSequence(), replica.lowWatermark(),
                replica.stableCheckpoint().sequence(), replica.logSize(), replica.knownClients(), counts);
    }

    long rejections(Rejection reason) {
        return rejections[reason.ordinal()];
    }
}
