package io.pbft.chaos.check.history;

import io.pbft.cli.workload.OpStatus;

/**
 * One operation of one key as the search sees it.
 *
 * @param returnNanos {@link Long#MAX_VALUE} when the outcome is unknown: it may take effect at any
 *     time after its call, or never, which is the same as after every other operation
 */
record Operation(HistoryLine source, long callNanos, long returnNanos, Effect effect) {

    static final long NEVER_RETURNED = Long.MAX_VALUE;

    /** An answered operation took effect exactly once; an unknown one may never have. */
    boolean mustTakeEffect() {
        return source.entry().status() == OpStatus.OK;
    }
}
