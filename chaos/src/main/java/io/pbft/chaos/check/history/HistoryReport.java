package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryJson;
import io.pbft.cli.workload.OpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What {@link HistoryChecker} found: counts, the verdict, and the keys that were not linearizable. */
public final class HistoryReport {

    private final int operations;
    private final int[] byStatus = new int[OpStatus.values().length];
    private final List<KeyResult> keys;

    HistoryReport(List<HistoryLine> lines, List<KeyResult> keys) {
        this.operations = lines.size();
        lines.forEach(line -> byStatus[line.entry().status().ordinal()]++);
        this.keys = List.copyOf(keys);
    }

    /** Not linearizable if any key is not; else undecided if any key is; else linearizable. */
    public Verdict verdict() {
        if (count(Verdict.NOT_LINEARIZABLE) > 0) {
            return Verdict.NOT_LINEARIZABLE;
        }
        return count(Verdict.UNDECIDED) > 0 ? Verdict.UNDECIDED : Verdict.LINEARIZABLE;
    }

    /** Every key in key order. */
    public List<KeyResult> keys() {
        return keys;
    }

    public int operations() {
        return operations;
    }

    public int count(OpStatus status) {
        return byStatus[status.ordinal()];
    }

    /**
     * A line for each key that is not linearizable or undecided, followed by its indented details,
     * then the summary line.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (KeyResult key : keys) {
            if (key.verdict() != Verdict.LINEARIZABLE) {
                lines.add("key " + HistoryJson.quote(key.key()) + ": " + words(key.verdict()) + " ("
                        + counted(key.operations(), "operation") + ")");
                lines.addAll(key.details());
            }
        }
        lines.add(summary());
        return lines;
    }

    /** {@code 2000 operations (ok 1990, fail 4, unknown 6) on 16 keys: linearizable}. */
    public String summary() {
        String counts = String.format(Locale.ROOT, "%s (ok %d, fail %d, unknown %d) on %s: %s",
                counted(operations, "operation"), count(OpStatus.OK), count(OpStatus.FAIL), count(OpStatus.UNKNOWN),
                counted(keys.size(), "key"), words(verdict()));
        List<String> problems = new ArrayList<>();
        if (count(Verdict.NOT_LINEARIZABLE) > 0) {
            problems.add(counted(count(Verdict.NOT_LINEARIZABLE), "key") + " not linearizable");
        }
        if (count(Verdict.UNDECIDED) > 0) {
            problems.add(counted(count(Verdict.UNDECIDED), "key") + " undecided");
        }
        return problems.isEmpty() ? counts : counts + " (" + String.join(", ", problems) + ")";
    }

    private long count(Verdict verdict) {
        return keys.stream().filter(key -> key.verdict() == verdict).count();
    }

    private static String counted(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String words(Verdict verdict) {
        return verdict.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
