package io.pbft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The series of a soak run: at each point, how many requests the cluster had executed and what each
 * replica held then, in memory and on disk; as the markdown file and the tables on stdout.
 *
 * @param failed operations that failed over the whole run
 * @param unknown operations whose outcome is unknown (timed out) over the whole run
 */
record SoakReport(RunHeader run, List<String> setup, List<Point> points, long failed, long unknown) {

    private static final double MIB = 1024.0 * 1024.0;

    /**
     * One point of the series.
     *
     * @param requests operations the clients had issued and seen settle (answered, failed or unknown)
     * @param lastExecuted the highest sequence number a replica reported executed, or -1 if none answered
     * @param opsPerSecond answered operations per second since the previous point; NaN at the first
     * @param replicas each replica's footprint, in replica order
     */
    record Point(long requests, long lastExecuted, double opsPerSecond, List<ReplicaFootprint> replicas) {
        Point {
            replicas = List.copyOf(replicas);
        }
    }

    SoakReport {
        setup = List.copyOf(setup);
        points = List.copyOf(points);
    }

    /** Whether every operation was answered and every figure could be taken. */
    boolean allOk() {
        return failed == 0 && unknown == 0 && points.stream().flatMap(p -> p.replicas().stream())
                .allMatch(r -> r.heapAfterFullGcBytes() >= 0 && r.residentBytes() >= 0);
    }

    /** Per point: requests, progress, and each replica's heap after a full collection and resident memory. */
    List<String> memoryTable() {
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("requests", "sequence executed",
                "ops/s since the previous point", "heap after full GC, MiB (replica " + replicaNames() + ")",
                "resident, MiB (replica " + replicaNames() + ")"));
        for (Point point : points) {
            lines.add(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s |", point.requests(), point.lastExecuted(),
                    Double.isNaN(point.opsPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", point.opsPerSecond()),
                    perReplica(point, ReplicaFootprint::heapAfterFullGcBytes, SoakReport::mib),
                    perReplica(point, ReplicaFootprint::residentBytes, SoakReport::mib)));
        }
        return lines;
    }

    /** Per point: each replica's data directory in all, its log segments, and its snapshot. */
    List<String> diskTable() {
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("requests",
                "data directory, MiB (replica " + replicaNames() + ")",
                "log segments (replica " + replicaNames() + ")", "snapshot, KiB (replica " + replicaNames() + ")"));
        for (Point point : points) {
            lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %s |", point.requests(),
                    perReplica(point, r -> r.disk().totalBytes(), SoakReport::mib),
                    perReplica(point, r -> r.disk().logSegments(), String::valueOf),
                    perReplica(point, r -> r.disk().snapshotBytes(),
                            bytes -> String.format(Locale.ROOT, "%.0f", bytes / 1024.0))));
        }
        return lines;
    }

    /**
     * For each figure, the largest replica's value at the first point under load, at the last, and
     * the least and most in between: flat figures have the first and last close and a narrow range.
     */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add(trend("heap after full GC", ReplicaFootprint::heapAfterFullGcBytes));
        lines.add(trend("resident memory", ReplicaFootprint::residentBytes));
        lines.add(trend("data directory", r -> r.disk().totalBytes()));
        Point last = points.isEmpty() ? null : points.get(points.size() - 1);
        lines.add(String.format(Locale.ROOT, "requests: %d issued, %d failed, %d unknown; %d sequence numbers"
                + " executed", last == null ? 0 : last.requests(), failed, unknown, last == null ? 0 : last.lastExecuted()));
        return lines;
    }

    String markdown() {
        StringBuilder md = new StringBuilder(run.markdown("Soak: memory and disk of 4 replicas over a long run", setup));
        md.append("\n## Memory\n\n");
        memoryTable().forEach(line -> md.append(line).append('\n'));
        md.append("\n## Disk\n\n");
        diskTable().forEach(line -> md.append(line).append('\n'));
        md.append("\n## Summary\n\n");
        summary().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\nThe heap is what `jstat -gc` reports used (survivor, eden and old spaces) right after `jcmd PID"
                + " GC.run`, a full collection with the serial collector, which the replicas run with `"
                + ReplicaFootprint.COMPACT_EVERY_FULL_GC + "` so that it leaves no dead objects in place: what the"
                + " replica holds on to. Resident is the process's VmRSS, which also holds the metaspace, compiled"
                + " code, thread stacks and direct buffers, and does not shrink when the heap does. The data directory"
                + " is the replica's write-ahead log segments (`*.wal`, truncated behind snapshots and stable"
                + " checkpoints), its snapshot, and anything else in it (a snapshot being written). The first point"
                + " is taken before any load: the state is empty then, so the series is flat if the points under"
                + " load are. The load stops while a point is taken.\n");
        return md.toString();
    }

    private String trend(String figure, ToLongFunction<ReplicaFootprint> value) {
        List<Point> loaded = points.stream().filter(p -> p.requests() > 0).toList();
        List<Long> largest = loaded.stream().map(p -> largest(p, value)).toList();
        if (largest.isEmpty() || largest.stream().anyMatch(v -> v < 0)) {
            return figure + ": not measured at every point under load";
        }
        long min = largest.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = largest.stream().mapToLong(Long::longValue).max().orElseThrow();
        return String.format(Locale.ROOT, "%s (largest replica): %s MiB after %d requests, %s MiB after %d; between"
                        + " %s and %s MiB over the %d points under load", figure, mib(largest.get(0)),
                loaded.get(0).requests(), mib(largest.get(largest.size() - 1)),
                loaded.get(loaded.size() - 1).requests(), mib(min), mib(max), loaded.size());
    }

    /** The largest of the replicas' values at {@code point}, or -1 if one is unknown. */
    private static long largest(Point point, ToLongFunction<ReplicaFootprint> value) {
        long most = 0;
        for (ReplicaFootprint replica : point.replicas()) {
            long v = value.applyAsLong(replica);
            if (v < 0) {
                return -1;
            }
            most = Math.max(most, v);
        }
        return most;
    }

    private String replicaNames() {
        int replicas = points.isEmpty() ? 0 : points.get(0).replicas().size();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            names.add(Integer.toString(i));
        }
        return String.join(" / ", names);
    }

    private static String perReplica(Point point, ToLongFunction<ReplicaFootprint> value,
            LongFunction<String> format) {
        return point.replicas().stream().map(r -> {
            long v = value.applyAsLong(r);
            return v < 0 ? "?" : format.apply(v);
        }).collect(Collectors.joining(" / "));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }
}
