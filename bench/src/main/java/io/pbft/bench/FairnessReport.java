package io.pbft.bench;

import io.pbft.cli.workload.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What a {@code bench-fairness} run found: the well-behaved client's latency per load against its
 * quiet figure, and the primary's footprint during and after each flood; as the markdown file and
 * the tables on stdout.
 *
 * @param phases per load, the first quiet, the well-behaved client's latency over all its phases
 * @param footprints the primary before the floods, then during and after each
 * @param presigned requests the request flooder signed before the run
 * @param badlySigned requests it sent with a bad signature once the signed ones ran out
 */
record FairnessReport(RunHeader run, List<String> setup, List<Phase> phases, List<Footprint> footprints,
        int presigned, long badlySigned) {

    /** The mark of issue 10, item 3: a flood may cost the well-behaved client at most this factor on its median. */
    static final double MEDIAN_MARK = 3.0;

    /**
     * All phases of one load.
     *
     * @param latency the well-behaved client's answered operations
     * @param answered operations answered
     * @param notAnswered operations that failed or whose outcome is unknown
     * @param floodActions what the floods did, in their units (requests sent, handshakes completed)
     * @param floodFailures what the floods tried and the primary refused or cut off
     * @param primaryCounters how the primary's counters (drops by reason, among others) moved over these phases
     * @param roundRatios per round, the median of this load's phase over that of the quiet phase just
     *     before it; empty for the quiet load
     */
    record Phase(String load, Histogram latency, long answered, long notAnswered, long floodActions,
            long floodFailures, SortedMap<String, Long> primaryCounters, List<Double> roundRatios) {
        Phase {
            primaryCounters = new TreeMap<>(primaryCounters);
            roundRatios = List.copyOf(roundRatios);
        }

        /** The median of {@link #roundRatios}, NaN if there are none. */
        double medianRoundRatio() {
            List<Double> sorted = roundRatios.stream().sorted().toList();
            int n = sorted.size();
            if (n == 0) {
                return Double.NaN;
            }
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        LatencySummary summary() {
            return LatencySummary.of(latency);
        }
    }

    /** The primary's footprint at one moment of a flood ({@code when}: during, after), and what the flood had done. */
    record Footprint(String flood, String when, long floodActions, long floodFailures, ReplicaFootprint replica) {}

    FairnessReport {
        setup = List.copyOf(setup);
        phases = List.copyOf(phases);
        footprints = List.copyOf(footprints);
    }

    /** Every operation answered, every figure taken; whether the medians meet the mark is the table's to say. */
    boolean allOk() {
        return phases.stream().allMatch(p -> p.notAnswered() == 0 && p.answered() > 0)
                && footprints.stream().allMatch(f -> f.replica().heapAfterFullGcBytes() >= 0
                        && f.replica().openDescriptors() >= 0);
    }

    /** The median against the quiet median, NaN if the quiet phases answered nothing. */
    double medianRatio(Phase phase) {
        long quiet = phases.get(0).summary().p50Nanos();
        return quiet == 0 ? Double.NaN : (double) phase.summary().p50Nanos() / quiet;
    }

    List<String> latencyTable() {
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("load", "operations", "p50 ms", "p99 ms",
                "p50 / quiet p50", "p99 / quiet p99", "within " + (int) MEDIAN_MARK + "x",
                "per round: p50 / the quiet p50 before it", "flood actions", "refused"));
        long quietP99 = phases.get(0).summary().p99Nanos();
        for (Phase phase : phases) {
            LatencySummary s = phase.summary();
            double ratio = medianRatio(phase);
            lines.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2f | %.2f | %s | %s | %d | %d |",
                    phase.load(), phase.answered(), LatencySummary.millis(s.p50Nanos()),
                    LatencySummary.millis(s.p99Nanos()), ratio,
                    quietP99 == 0 ? Double.NaN : (double) s.p99Nanos() / quietP99,
                    ratio <= MEDIAN_MARK ? "yes" : "no", roundRatios(phase), phase.floodActions(),
                    phase.floodFailures()));
        }
        return lines;
    }

    /** {@code median 1.20 (0.90, 1.20, 2.50)}, or {@code -} for the quiet load. */
    private static String roundRatios(Phase phase) {
        if (phase.roundRatios().isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "median %.2f (%s)", phase.medianRoundRatio(), phase.roundRatios().stream()
                .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", ")));
    }

    /** Whether the request flooder's signed requests lasted, and if not how many it sent with bad signatures. */
    String flooderSupply() {
        return badlySigned == 0
                ? "The request flooder's " + presigned + " signed requests lasted through all its floods."
                : "The request flooder's " + presigned + " signed requests ran out; it went on with " + badlySigned
                        + " requests whose signatures do not verify (never ordered; a replica may reject one sooner than it"
                        + " verifies a good one).";
    }

    List<String> footprintTable() {
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("flood", "when", "flood actions", "refused",
                "heap after full GC, MiB", "resident, MiB", "open descriptors"));
        for (Footprint f : footprints) {
            lines.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %d |", f.flood(), f.when(),
                    f.floodActions(), f.floodFailures(), SoakReport.mib(f.replica().heapAfterFullGcBytes()),
                    SoakReport.mib(f.replica().residentBytes()), f.replica().openDescriptors()));
        }
        return lines;
    }

    /** {@code heap 12.3 MiB, resident 210.0 MiB, 85 descriptors}. */
    static String describe(ReplicaFootprint replica) {
        return String.format(Locale.ROOT, "heap %s MiB, resident %s MiB, %d descriptors",
                SoakReport.mib(replica.heapAfterFullGcBytes()), SoakReport.mib(replica.residentBytes()),
                replica.openDescriptors());
    }

    /** Per load, the primary's counters that moved, largest first: where the floods' work went. */
    List<String> counterLines() {
        List<String> lines = new ArrayList<>();
        for (Phase phase : phases) {
            String moved = phase.primaryCounters().entrySet().stream().filter(e -> e.getValue() != 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            lines.add(phase.load() + ": " + (moved.isEmpty() ? "none" : moved));
        }
        return lines;
    }

    String markdown() {
        StringBuilder md = new StringBuilder(run.markdown(
                "Flood fairness and footprint: a well-behaved client and the primary under floods", setup));
        md.append("\n## A well-behaved client's latency\n\n");
        latencyTable().forEach(line -> md.append(line).append('\n'));
        md.append("\nEach load's figures pool its phases over all rounds; quiet and flood phases alternated, and the"
                + " per-round column sets each flood phase's median against the quiet phase just before it. Flood"
                + " actions are requests sent or handshakes completed; refused, connections or handshakes the primary"
                + " refused or cut off. " + flooderSupply() + "\n");
        md.append("\n## The primary's counters over each load's phases\n\n");
        counterLines().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## The primary's footprint during and after each flood\n\n");
        footprintTable().forEach(line -> md.append(line).append('\n'));
        md.append("\nThe heap is what `jstat -gc` reports used right after `jcmd PID GC.run` (a full collection that"
                + " leaves no dead objects, see bench-soak); descriptors are the entries of /proc/PID/fd. \"During\""
                + " is measured while the flood still runs, \"after\" a second after it stopped.\n");
        return md.toString();
    }
}
