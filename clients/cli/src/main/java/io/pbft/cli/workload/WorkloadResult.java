package io.pbft.cli.workload;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a workload run did.
 *
 * @param perKind operations answered ({@code ok}) per kind
 * @param casSwapped compare-and-sets that wrote their value
 * @param latency latency of the answered operations, in nanoseconds
 * @param elapsedNanos from the first call to the last return, across all clients
 * @param history every operation, in no particular order; empty unless the run kept it
 */
public record WorkloadResult(
        int clients,
        long ok,
        long failed,
        long unknown,
        Map<OpKind, Long> perKind,
        long casSwapped,
        Histogram latency,
        long elapsedNanos,
        List<HistoryEntry> history) {

    public WorkloadResult {
        perKind = Map.copyOf(perKind);
        history = List.copyOf(history);
    }

    public long issued() {
        return ok + failed + unknown;
    }

    public boolean allOk() {
        return failed == 0 && unknown == 0;
    }

    public LatencySummary latencySummary() {
        return LatencySummary.of(latency);
    }

    /** Answered operations per second of elapsed time. */
    public double throughputPerSecond() {
        return elapsedNanos <= 0 ? 0 : ok * 1e9 / elapsedNanos;
    }

    /** The lines {@code pbft workload} prints. */
    public List<String> describe() {
        return List.of(
                String.format(Locale.ROOT, "operations: %d completed, %d failed, %d unknown"
                                + " (completed: get %d, put %d, cas %d of which %d swapped, delete %d)",
                        ok, failed, unknown, count(OpKind.GET), count(OpKind.PUT), count(OpKind.CAS), casSwapped,
                        count(OpKind.DELETE)),
                "latency: " + latencySummary().describe(),
                String.format(Locale.ROOT, "throughput: %.1f ops/s (%d clients, %.3f s)", throughputPerSecond(),
                        clients, elapsedNanos / 1e9));
    }

    private long count(OpKind kind) {
        return perKind.getOrDefault(kind, 0L);
    }
}
