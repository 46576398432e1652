package io.pbft.core;

import java.util.NavigableMap;

/**
 * The agreed time of a batch, PBFT's non-deterministic choice made by the primary and checked by
 * every backup: what a primary proposes, and what a backup accepts, given the pre-prepares this
 * replica holds in its log. Time comes from {@link ReplicaState#nowMillis}, never from a clock.
 */
final class AgreedTime {

    private final ReplicaState state;
    /** The normal case's log, read only. */
    private final NavigableMap<Long, Slot> log;

    AgreedTime(ReplicaState state, NavigableMap<Long, Slot> log) {
        this.state = state;
        this.log = log;
    }

    /**
     * The time a primary proposes for {@code sequence}: its clock's, or that of the batch before it
     * if later (a previous primary's clock may have been ahead), so that agreed times never go back.
     */
    long proposalFor(long sequence) {
        return Math.max(state.nowMillis, Math.max(0, timestampBelow(sequence)));
    }

    /**
     * The check a backup makes of the time a primary proposes, PBFT's validation of a
     * non-deterministic choice: within {@link ReplicaConfig#maxClockSkewMillis()} of this replica's
     * own clock, and between the times of the nearest pre-prepares it holds below and above the
     * sequence number. A correct backup that holds two pre-prepares so accepts them only in time
     * order, and any two prepared ones share a correct backup among their 2f + 1 voters, so the
     * times of prepared batches grow with their sequence numbers within the log's window.
     */
    boolean acceptable(long sequence, long timestampMillis) {
        if (Math.abs(timestampMillis - state.nowMillis) > state.config.maxClockSkewMillis()) {
            return false;
        }
        long above = timestampAbove(sequence);
        return timestampMillis >= timestampBelow(sequence) && (above < 0 || timestampMillis <= above);
    }

    /** The time of the pre-prepare this replica holds at the highest sequence number below {@code sequence}, or -1. */
    private long timestampBelow(long sequence) {
        for (Slot slot : log.headMap(sequence, false).descendingMap().values()) {
            if (slot.prePrepare != null) {
                return slot.acceptedTimestamp();
            }
        }
        return -1;
    }

    /** The time of the pre-prepare this replica holds at the lowest sequence number above {@code sequence}, or -1. */
    private long timestampAbove(long sequence) {
        for (Slot slot : log.tailMap(sequence, false).values()) {
            if (slot.prePrepare != null) {
                return slot.acceptedTimestamp();
            }
        }
        return -1;
    }
}
