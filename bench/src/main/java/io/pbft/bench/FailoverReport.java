package io.pbft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The results of a failover benchmark run, as the markdown file and the tables on stdout.
 *
 * @param viewChangeTimeoutMillis the replicas' {@code protocol.viewChangeTimeoutMillis}
 * @param clientRetransmitMillis the clients' {@code client.retransmitMillis}
 * @param giveUpSeconds how long after t0 a round waited for a failover before it gave up
 */
record FailoverReport(
        RunHeader run,
        List<String> setup,
        List<FailoverRound> rounds,
        long viewChangeTimeoutMillis,
        long clientRetransmitMillis,
        long giveUpSeconds) {

    FailoverReport {
        setup = List.copyOf(setup);
        rounds = List.copyOf(rounds);
    }

    /** Every round failed over, and every operation was answered. */
    boolean allOk() {
        return rounds.stream().allMatch(r -> r.failedOver() && r.failed() == 0 && r.unknown() == 0);
    }

    /** One row per f: median and max failover time over its rounds that failed over. */
    List<String> summaryTable() {
        SortedMap<Integer, List<FailoverRound>> byF = new TreeMap<>();
        rounds.forEach(r -> byF.computeIfAbsent(r.f(), f -> new ArrayList<>()).add(r));
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("f", "n", "rounds", "failed over",
                "median failover (ms)", "max failover (ms)", "view-change timeout (ms)", "client retransmit (ms)"));
        byF.forEach((f, ofF) -> {
            List<Long> times = ofF.stream().filter(FailoverRound::failedOver)
                    .map(r -> r.failoverNanos().getAsLong()).sorted().toList();
            String median = times.isEmpty() ? noFailover() : millis(median(times));
            String max = times.isEmpty() ? noFailover() : millis(times.get(times.size() - 1));
            lines.add(String.format(Locale.ROOT, "| %d | %d | %d | %d | %s | %s | %d | %d |", f, 3 * f + 1,
                    ofF.size(), times.size(), median, max, viewChangeTimeoutMillis, clientRetransmitMillis));
        });
        return lines;
    }

    /** One row per round, in the order they ran. */
    List<String> roundsTable() {
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("f", "n", "round", "stopped primary",
                "failover (ms)", "longest operation (ms)", "completed", "failed", "unknown",
                "the other replicas at the end"));
        for (FailoverRound r : rounds) {
            lines.add(String.format(Locale.ROOT, "| %d | %d | %d | replica %d (view %d) | %s | %s | %d | %d | %d"
                            + " | %s |", r.f(), r.replicaCount(), r.round(), r.pausedReplica(), r.viewBefore(),
                    r.failedOver() ? millis(r.failoverNanos().getAsLong()) : noFailover(), millis(r.longestNanos()),
                    r.completed(), r.failed(), r.unknown(), r.viewsAfter()));
        }
        return lines;
    }

    /** What the figure contains, in one paragraph. */
    String explanation() {
        return String.format(Locale.ROOT, "The failover time runs from t0, when the SIGSTOP of the primary had"
                + " been sent, to the first accepted reply (2f + 1 matching) to an operation called after t0, on the"
                + " benchmark JVM's monotonic clock. Such an operation went to the stopped primary and could only"
                + " commit in a new view, so the figure contains the client's retransmit interval (%d ms, after"
                + " which it sends the request to every replica), the view-change timeout (%d ms, which the"
                + " backups wait from when they get the request), the view change's and the new view's round trips"
                + " (view-change, new-view, then ordering the carried-over batches and the request), and, where the"
                + " new primary did not hold the request, the client's next retransmission. The clients are a closed"
                + " loop: when every operation outstanding at t0 waited for the new view too, the first called"
                + " after t0 is called once one of them is answered, and the figure also holds that one operation's"
                + " latency. The median and max are over the rounds that failed over; a round without such an"
                + " answer %d s after t0 counts as no failover.", clientRetransmitMillis, viewChangeTimeoutMillis,
                giveUpSeconds);
    }

    String markdown() {
        StringBuilder md = new StringBuilder(run.markdown(
                "Failover benchmark: from a stopped primary to the first request committed in the new view", setup));
        md.append("\n## Results\n\n");
        summaryTable().forEach(line -> md.append(line).append('\n'));
        md.append("\n## Rounds\n\n");
        roundsTable().forEach(line -> md.append(line).append('\n'));
        md.append('\n').append(explanation()).append('\n');
        return md.toString();
    }

    private String noFailover() {
        return "no failover within " + giveUpSeconds + " s";
    }

    /** The median of sorted values: the middle one, or the mean of the two in the middle. */
    static long median(List<Long> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Whole milliseconds: failover times are seconds long, and finer digits would be noise. */
    static String millis(long nanos) {
        return Long.toString(Math.round(nanos / 1e6));
    }
}
