package io.pbft.cli.workload;

import java.util.Locale;

/** How an operation ended, as a history file records it (see {@code docs/history.md}). */
public enum OpStatus {
    /** The cluster answered, including a compare-and-set that found another value. */
    OK,
    /** The operation certainly did not take effect, e.g. the replicas rejected the request. */
    FAIL,
    /** The client gave up without an answer: the operation may or may not have taken effect. */
    UNKNOWN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
