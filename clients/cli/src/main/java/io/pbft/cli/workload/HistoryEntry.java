package io.pbft.cli.workload;

import java.util.Objects;
import java.util.Optional;

/**
 * One operation of a workload as its client saw it: one line of a history file (see
 * {@code docs/history.md}).
 *
 * @param client the client's id ({@code PbftClient.clientId()})
 * @param callNanos when the client issued the operation, from {@link System#nanoTime()}
 * @param retNanos when the client got the answer or learned that it failed;
 *     {@link #NOT_RETURNED} when the outcome is unknown
 * @param output what the cluster answered, as far as a history records it
 */
public record HistoryEntry(long client, PlannedOp op, long callNanos, long retNanos, OpStatus status, Output output) {

    public static final long NOT_RETURNED = Long.MIN_VALUE;

    public HistoryEntry {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(output, "output");
        if ((status == OpStatus.UNKNOWN) != (retNanos == NOT_RETURNED)) {
            throw new IllegalArgumentException("an operation has a return time exactly when its outcome is known");
        }
        if (status != OpStatus.OK && !(output instanceof Output.None)) {
            throw new IllegalArgumentException("only an answered operation has an output");
        }
    }

    public boolean returned() {
        return retNanos != NOT_RETURNED;
    }

    /** The answer of an operation; a history records it for gets and compare-and-sets only. */
    public sealed interface Output {

        /** No output field: a put or delete, or an operation the cluster did not answer. */
        record None() implements Output {}

        /** A get read {@code value}; empty when the key did not exist (written as JSON null). */
        record Read(Optional<String> value) implements Output {
            public Read {
                Objects.requireNonNull(value, "value");
            }
        }

        /** A compare-and-set wrote its new value ({@code true}) or found another value ({@code false}). */
        record Swapped(boolean success) implements Output {}

        Output NONE = new None();
    }
}
