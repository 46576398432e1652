package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.HistoryJson;
import io.pbft.cli.workload.PlannedOp;

/** One history line in words, for reports: {@code line 12: get -> "v" by client 7 [call 100, ret 250]}. */
final class OperationText {

    private OperationText() {}

    static String describe(HistoryLine line) {
        HistoryEntry entry = line.entry();
        String times = entry.returned()
                ? "call " + entry.callNanos() + ", ret " + entry.retNanos()
                : "call " + entry.callNanos() + ", outcome unknown";
        return "line " + line.number() + ": " + operation(entry) + " by client " + entry.client() + " [" + times + "]";
    }

    private static String operation(HistoryEntry entry) {
        PlannedOp op = entry.op();
        switch (op.kind()) {
            case GET:
                return entry.output() instanceof HistoryEntry.Output.Read read
                        ? "get -> " + value(read.value().orElse(null))
                        : "get";
            case PUT:
                return "put " + value(op.value());
            case DELETE:
                return "delete";
            default:
                return "cas " + value(op.expected()) + " -> " + value(op.value()) + casOutcome(entry.output());
        }
    }

    private static String casOutcome(HistoryEntry.Output output) {
        if (output instanceof HistoryEntry.Output.Swapped swapped) {
            return swapped.success() ? ": swapped" : ": not swapped";
        }
        return "";
    }

    private static String value(String value) {
        return value == null ? "absent" : HistoryJson.quote(value);
    }
}
