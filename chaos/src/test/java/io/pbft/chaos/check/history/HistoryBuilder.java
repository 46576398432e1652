package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.HistoryEntry.Output;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.PlannedOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hand-written histories, one line per call in the order written (lines numbered from 1), on key
 * {@code k} and by client 1 unless {@link #on} and {@link #by} say otherwise. A null value means
 * absent.
 */
final class HistoryBuilder {

    private final List<HistoryLine> lines = new ArrayList<>();
    private String key = "k";
    private long client = 1;

    HistoryBuilder on(String key) {
        this.key = key;
        return this;
    }

    HistoryBuilder by(long client) {
        this.client = client;
        return this;
    }

    HistoryBuilder put(String value, long call, long ret) {
        return ok(PlannedOp.put(key, value), call, ret, Output.NONE);
    }

    HistoryBuilder delete(long call, long ret) {
        return ok(PlannedOp.delete(key), call, ret, Output.NONE);
    }

    HistoryBuilder get(String read, long call, long ret) {
        return ok(PlannedOp.get(key), call, ret, new Output.Read(Optional.ofNullable(read)));
    }

    HistoryBuilder cas(String expected, String value, boolean swapped, long call, long ret) {
        return ok(PlannedOp.cas(key, expected, value), call, ret, new Output.Swapped(swapped));
    }

    HistoryBuilder unknownPut(String value, long call) {
        return add(new HistoryEntry(client, PlannedOp.put(key, value), call, HistoryEntry.NOT_RETURNED,
                OpStatus.UNKNOWN, Output.NONE));
    }

    HistoryBuilder unknownCas(String expected, String value, long call) {
        return add(new HistoryEntry(client, PlannedOp.cas(key, expected, value), call, HistoryEntry.NOT_RETURNED,
                OpStatus.UNKNOWN, Output.NONE));
    }

    HistoryBuilder unknownGet(long call) {
        return add(new HistoryEntry(client, PlannedOp.get(key), call, HistoryEntry.NOT_RETURNED, OpStatus.UNKNOWN,
                Output.NONE));
    }

    HistoryBuilder failedPut(String value, long call, long ret) {
        return add(new HistoryEntry(client, PlannedOp.put(key, value), call, ret, OpStatus.FAIL, Output.NONE));
    }

    List<HistoryLine> lines() {
        return List.copyOf(lines);
    }

    HistoryReport check() {
        return HistoryChecker.check(lines, HistoryChecker.DEFAULT_MAX_STEPS);
    }

    Verdict verdict() {
        return check().verdict();
    }

    private HistoryBuilder ok(PlannedOp op, long call, long ret, Output output) {
        return add(new HistoryEntry(client, op, call, ret, OpStatus.OK, output));
    }

    private HistoryBuilder add(HistoryEntry entry) {
        lines.add(new HistoryLine(lines.size() + 1, entry));
        return this;
    }
}
