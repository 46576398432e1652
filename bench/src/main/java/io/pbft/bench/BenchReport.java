package io.pbft.bench;

import io.pbft.cli.workload.LatencySummary;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.config.ClusterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results of one cluster benchmark run, as the markdown file and the table on stdout. */
record BenchReport(
        RunHeader run,
        ClusterConfig cluster,
        List<String> setup,
        List<Phase> phases) {

    /** Median latency with one client that the first issue aims below, in milliseconds. */
    static final double LATENCY_MARK_MILLIS = 1.0;
    /** Throughput the first issue aims above, in operations per second. */
    static final double THROUGHPUT_MARK = 10_000;

    /**
     * One measured phase: {@code clients} clients, each with {@code outstandingPerClient} closed
     * loops (one operation outstanding each, over the client's window), for the phase's duration,
     * during which the primary executed {@code batches} sequence numbers (-1 if it could not be asked).
     */
    record Phase(int clients, int outstandingPerClient, WorkloadResult result, long batches) {

        /** {@code clients} clients with one operation outstanding each. */
        Phase(int clients, WorkloadResult result, long batches) {
            this(clients, 1, result, batches);
        }

        String describe() {
            return BenchReport.describe(clients, outstandingPerClient);
        }

        /** Operations per batch over the phase, or NaN when the batch count is unknown. */
        double requestsPerBatch() {
            long requests = result.ok() + result.failed();
            return batches > 0 ? (double) requests / batches : Double.NaN;
        }
    }

    /** "32 clients", or "1 client with 32 outstanding". */
    static String describe(int clients, int outstandingPerClient) {
        String described = clients + (clients == 1 ? " client" : " clients");
        return outstandingPerClient == 1 ? described : described + " with " + outstandingPerClient + " outstanding";
    }

    BenchReport {
        setup = List.copyOf(setup);
        phases = List.copyOf(phases);
    }

    boolean allOk() {
        return phases.stream().allMatch(p -> p.result().allOk());
    }

    /** The table of phases, in markdown (also readable as plain text). */
    List<String> table() {
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("clients", "outstanding per client", "completed",
                "failed", "unknown", "throughput (ops/s)", "p50 (ms)", "p90 (ms)", "p99 (ms)", "max (ms)",
                "requests per batch"));
        for (Phase phase : phases) {
            WorkloadResult r = phase.result();
            LatencySummary l = r.latencySummary();
            double perBatch = phase.requestsPerBatch();
            lines.add(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %.0f | %s | %s | %s | %s | %s |",
                    phase.clients(), phase.outstandingPerClient(), r.ok(), r.failed(), r.unknown(), r.throughputPerSecond(), LatencySummary.millis(l.p50Nanos()),
                    LatencySummary.millis(l.p90Nanos()), LatencySummary.millis(l.p99Nanos()),
                    LatencySummary.millis(l.maxNanos()),
                    Double.isNaN(perBatch) ? "?" : String.format(Locale.ROOT, "%.1f", perBatch)));
        }
        return lines;
    }

    /** The summary: latency of one client, best throughput, and each against the first marks. */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        phases.stream().filter(p -> p.clients() == 1 && p.outstandingPerClient() == 1).findFirst().ifPresent(single -> {
            LatencySummary l = single.result().latencySummary();
            double medianMillis = l.p50Nanos() / 1e6;
            lines.add(String.format(Locale.ROOT, "one closed-loop client: median latency %s ms, p99 %s ms"
                            + " (mark: median under %.0f ms: %s)", LatencySummary.millis(l.p50Nanos()),
                    LatencySummary.millis(l.p99Nanos()), LATENCY_MARK_MILLIS,
                    medianMillis < LATENCY_MARK_MILLIS && l.count() > 0 ? "met" : "not met"));
        });
        phases.stream().max((a, b) -> Double.compare(a.result().throughputPerSecond(),
                b.result().throughputPerSecond())).ifPresent(best -> lines.add(String.format(Locale.ROOT,
                "best throughput: %.0f ops/s with %s (mark: over %.0f ops/s: %s)",
                best.result().throughputPerSecond(), best.describe(), THROUGHPUT_MARK,
                best.result().throughputPerSecond() > THROUGHPUT_MARK ? "met" : "not met")));
        if (!allOk()) {
            lines.add("some operations failed or have an unknown outcome: see the table");
        }
        return lines;
    }

    String markdown() {
        StringBuilder md = new StringBuilder(run.markdown("Cluster benchmark: f = " + cluster.f() + ", n = "
                + cluster.replicaCount() + " replica processes on loopback", setup));
        md.append("\n## Results\n\n");
        table().forEach(line -> md.append(line).append('\n'));
        md.append('\n');
        summary().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\nThroughput counts completed operations over the measured phase; requests per batch divides the"
                + " operations by the sequence numbers the primary executed meanwhile; latency is from the call to"
                + " the accepted reply (2f + 1 matching replies) on one monotonic clock, recorded with HdrHistogram."
                + " The first marks of issue 4 are a median under 1 ms with one client and over 10,000 operations"
                + " per second with batching, on a 2-core machine where the replicas, the clients and the JIT"
                + " share the cores.\n");
        return md.toString();
    }
}
