package io.pbft.bench;

import io.pbft.cli.workload.WorkloadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of one catch-up run, as the markdown file and the table on stdout: how long a backup
 * that missed W writes took to catch up once back, and what state transfer fetched for it against
 * the size of the whole state.
 *
 * @param keys keys loaded before the backup's fault
 * @param writtenKeys keys the missed writes spread over ({@code k0 .. k(writtenKeys-1)})
 * @param partitions the service's partition count, which bounds what state transfer installs
 */
record CatchUpReport(RunHeader run, List<String> setup, int keys, int writtenKeys, int partitions,
        Outcome outcome) {

    /** The counters of a replica's status that say what state transfer fetched (see NodeMetrics). */
    static final String PARTITION_BYTES = "state_transfer.partition_bytes";
    static final String CLIENT_TABLE_BYTES = "state_transfer.client_table_bytes";
    static final String PARTITIONS_INSTALLED = "state_transfer.partitions_installed";
    static final String REQUESTS_SENT = "state_transfer.requests_sent";

    /**
     * What happened.
     *
     * @param fault how the backup missed the writes, as the report says it
     * @param view the view the replicas worked in before the fault, whose primary's predecessor is the backup
     * @param lastExecutedAtFault the backup's last executed sequence number just before its fault
     * @param writes the writes it missed, as the clients saw them
     * @param stableAtReturn the highest stable checkpoint of the others when the backup came back
     * @param othersLastExecuted the highest sequence number the others had executed then
     * @param firstAnswerAt the backup's last executed when it first answered a status query after coming
     *     back (killed: what it recovered from its own disk; paused: what it executed of the messages
     *     waiting for it before it got to the query), or -1 if it never answered
     * @param answeredNanos from its return to that first answer
     * @param caughtUpNanos from its return to its status showing it executed {@code stableAtReturn},
     *     needing no state, in the others' view
     * @param sameStateNanos from its return to its status showing the others' last executed and state digest
     * @param sawNeedsState whether a status of the backup said it needed state
     * @param counters the backup's status counters at the end (state transfer's among them)
     * @param fullStateBytes the largest snapshot file among the others' data directories: the whole
     *     state (every partition, the client table, a few bytes of framing); -1 if none has one yet
     */
    record Outcome(String fault, long view, int backup, long lastExecutedAtFault, WorkloadResult writes, long stableAtReturn,
            long othersLastExecuted, long firstAnswerAt, OptionalLong answeredNanos, OptionalLong caughtUpNanos,
            OptionalLong sameStateNanos, boolean sawNeedsState, SortedMap<String, Long> counters,
            long fullStateBytes, long giveUpSeconds) {

        Outcome {
            counters = new TreeMap<>(counters);
        }

        long fetchedBytes() {
            return counters.getOrDefault(PARTITION_BYTES, 0L) + counters.getOrDefault(CLIENT_TABLE_BYTES, 0L);
        }
    }

    CatchUpReport {
        setup = List.copyOf(setup);
    }

    boolean allOk() {
        return outcome.caughtUpNanos().isPresent() && outcome.sameStateNanos().isPresent()
                && outcome.writes().allOk();
    }

    /** The figures, one per row. */
    List<String> table() {
        Outcome o = outcome;
        List<String> lines = new ArrayList<>(BenchSupport.tableHead("figure", "value"));
        row(lines, "keys loaded before the fault", Long.toString(keys));
        row(lines, "writes the backup missed", String.format(Locale.ROOT, "%d over %d keys (%d failed, %d unknown;"
                + " %.0f ops/s)", o.writes().issued(), writtenKeys, o.writes().failed(), o.writes().unknown(),
                o.writes().throughputPerSecond()));
        row(lines, "backup", String.format(Locale.ROOT, "replica %d (view %d), %s", o.backup(), o.view(),
                o.fault()));
        row(lines, "sequence numbers missed", String.format(Locale.ROOT, "%d (executed %d at the fault; the others"
                        + " then at %d, stable checkpoint %d)", o.othersLastExecuted() - o.lastExecutedAtFault(),
                o.lastExecutedAtFault(), o.othersLastExecuted(), o.stableAtReturn()));
        row(lines, "back to first status answer (ms)", elapsed(o.answeredNanos()) + (o.firstAnswerAt() < 0 ? ""
                : " (then at sequence " + o.firstAnswerAt() + ")"));
        row(lines, "back to caught up (ms)", elapsed(o.caughtUpNanos()));
        row(lines, "back to the others' state (ms)", elapsed(o.sameStateNanos()));
        row(lines, "state transfer", o.sawNeedsState() || o.fetchedBytes() > 0
                ? String.format(Locale.ROOT, "%d of %d partitions installed, %d requests",
                        o.counters().getOrDefault(PARTITIONS_INSTALLED, 0L), partitions,
                        o.counters().getOrDefault(REQUESTS_SENT, 0L))
                : "not needed (caught up from the others' logs)");
        row(lines, "bytes fetched (KiB)", String.format(Locale.ROOT, "%s (partitions %s, client table %s)",
                kib(o.fetchedBytes()), kib(o.counters().getOrDefault(PARTITION_BYTES, 0L)),
                kib(o.counters().getOrDefault(CLIENT_TABLE_BYTES, 0L))));
        row(lines, "full state: a peer's snapshot file (KiB)", o.fullStateBytes() < 0 ? "no snapshot yet"
                : kib(o.fullStateBytes()));
        row(lines, "fetched / full state", o.fullStateBytes() <= 0 ? "?"
                : String.format(Locale.ROOT, "%.2f", (double) o.fetchedBytes() / o.fullStateBytes()));
        return lines;
    }

    String markdown() {
        StringBuilder md = new StringBuilder(run.markdown("Catch-up: a backup that missed " + outcome.writes().issued()
                + " writes over " + writtenKeys + " keys", setup));
        md.append("\n## Results\n\n");
        table().forEach(line -> md.append(line).append('\n'));
        md.append("\nTimes run from the backup's return (its process started again, or SIGCONT sent) on the"
                + " benchmark's monotonic clock, to the first status query that showed the condition; queries are"
                + " polled, so each time is late by up to one poll and one query. Caught up: the backup's status"
                + " says it executed the others' stable checkpoint at its return, needs no state, and works in"
                + " their view. The others' state: its last executed and state digest equal theirs (the load has"
                + " stopped, so theirs stay put). Bytes fetched are the backup's own counters of state transfer"
                + " (partition contents and client table bytes received, refused attempts included); the protocol's"
                + " Merkle hashes and framing are not in them. The full state is the largest snapshot file in the"
                + " others' data directories: every partition, the client table and a little framing, as of their"
                + " last snapshot.\n");
        return md.toString();
    }

    private String elapsed(OptionalLong nanos) {
        return nanos.isPresent() ? FailoverReport.millis(nanos.getAsLong())
                : "not within " + outcome.giveUpSeconds() + " s";
    }

    private static void row(List<String> lines, String figure, String value) {
        lines.add("| " + figure + " | " + value + " |");
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1024.0);
    }
}
