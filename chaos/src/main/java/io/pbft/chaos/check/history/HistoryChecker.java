package io.pbft.chaos.check.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a client-observed key-value history ({@code docs/history.md}) for linearizability,
 * without a witness order: keys are independent registers, and a history is linearizable exactly
 * when each key's is (locality, the P-compositionality Porcupine exploits), so each key gets its
 * own search ({@link LinearizationSearch}). Gets, puts, deletes and compare-and-sets follow the
 * key-value store; answered operations took effect once between call and return, failed ones
 * never, unknown ones at any time after their call or never. A key may start absent or holding a
 * value no line of the file writes ({@link KeyHistory}).
 */
public final class HistoryChecker {

    /** The default limit on search steps per key: a few seconds and at most about 100 MB. */
    public static final long DEFAULT_MAX_STEPS = 10_000_000;

    private HistoryChecker() {}

    /** Checks every key of {@code lines}, each within {@code maxStepsPerKey} search steps. */
    public static HistoryReport check(List<HistoryLine> lines, long maxStepsPerKey) {
        if (maxStepsPerKey < 1) {
            throw new IllegalArgumentException("maxStepsPerKey must be at least 1, was " + maxStepsPerKey);
        }
        Map<String, List<HistoryLine>> byKey = new TreeMap<>();
        for (HistoryLine line : lines) {
            byKey.computeIfAbsent(line.entry().op().key(), key -> new ArrayList<>()).add(line);
        }
        List<KeyResult> results = new ArrayList<>();
        byKey.forEach((key, keyLines) ->
                results.add(LinearizationSearch.check(new KeyHistory(key, keyLines), maxStepsPerKey)));
        return new HistoryReport(lines, results);
    }
}
