package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryEntry;
import java.util.Objects;

/** One operation of a history file, with the line it stands on (from 1), so reports can point at it. */
public record HistoryLine(long number, HistoryEntry entry) {

    public HistoryLine {
        Objects.requireNonNull(entry, "entry");
    }
}
