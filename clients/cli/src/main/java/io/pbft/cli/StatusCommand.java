package io.pbft.cli;

import io.pbft.client.ClusterHealth;
import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft status}: one line per replica from two polls a short interval apart, each flagged
 * when it is unreachable, lagging, stuck or in another view; exit code 0 only when at least 2f + 1
 * replicas make progress (see {@link ClusterHealth}). Public for {@link #views}, which the failover
 * benchmark prints too.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Asks every replica twice, --interval-ms apart, for its view and primary, whether it is"
                + " changing view, its last executed sequence number, stable checkpoint and state digest.",
                "Prints one line per replica: those values, how far it is behind the most advanced replica, how"
                        + " much it executed between the polls, and its flags:",
                "  unreachable: no answer to the second poll within --timeout-ms;",
                "  lagging: more than --lag sequence numbers behind the most advanced replica;",
                "  stuck: executed nothing between the polls although a replica ahead of it did, or although it"
                        + " held work at the first poll (a sequence number assigned or accepted above what it"
                        + " executed);",
                "  other view: not in the quorum's view, the highest view in which at least f + 1 replicas work;",
                "  changing view: left its view, waits for the next one's new view.",
                "A replica makes progress when it has none of these flags. Exit code 0 when at least 2f + 1"
                        + " replicas make progress (an idle cluster does), 1 when fewer do."})
public final class StatusCommand implements Callable<Integer> {

    /** The default of {@code --interval-ms}: long enough for a cluster under load to execute something. */
    static final long DEFAULT_INTERVAL_MILLIS = 1_000;

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--counters",
            description = "Also print each replica's non-zero counters of dropped and rejected inputs, and what state"
                    + " transfer fetched since it started.")
    boolean counters;

    @Option(names = "--interval-ms", paramLabel = "MILLIS", defaultValue = "" + DEFAULT_INTERVAL_MILLIS,
            description = "Time between the two polls (default: ${DEFAULT-VALUE}); 0 polls once, and then no replica"
                    + " is stuck.")
    long intervalMillis;

    @Option(names = "--lag", paramLabel = "N",
            description = "A replica more than N sequence numbers behind the most advanced one is lagging (default:"
                    + " the cluster's checkpoint interval, protocol.checkpointInterval).")
    Long lag;

    @Override
    public Integer call() throws Exception {
        ClusterConfig config = cluster.load();
        Duration timeout = Duration.ofMillis(cluster.timeoutMillis());
        if (intervalMillis < 0 || (lag != null && lag < 0)) {
            throw new ParameterException(spec.commandLine(), "--interval-ms and --lag must not be negative");
        }
        List<ReplicaStatus> first = StatusClient.query(config, timeout);
        List<ReplicaStatus> second = first;
        if (intervalMillis > 0) {
            Thread.sleep(intervalMillis);
            second = StatusClient.query(config, timeout);
        }
        long lagLimit = lag != null ? lag : config.protocol().checkpointInterval();
        ClusterHealth health = ClusterHealth.judge(config.f(), lagLimit, intervalMillis, first, second);
        PrintWriter out = spec.commandLine().getOut();
        for (ClusterHealth.Verdict verdict : health.verdicts()) {
            out.println(describe(verdict, health));
            if (counters) {
                verdict.status().counters().forEach((name, value) -> out.println("  " + name + " = " + value));
            }
        }
        out.println(summary(health));
        out.println(views(second));
        return health.live() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** "3 of 4 replicas make progress (2f + 1 = 3 must, f = 1)", and what follows when too few do. */
    static String summary(ClusterHealth health) {
        long quorum = 2L * health.f() + 1;
        return health.progressing() + " of " + health.verdicts().size() + " replicas make progress (2f + 1 = " + quorum
                + " must, f = " + health.f() + ")" + (health.live() ? "" : ": the cluster cannot order requests");
    }

    static String describe(ClusterHealth.Verdict verdict, ClusterHealth health) {
        ReplicaStatus status = verdict.status();
        if (!status.reachable()) {
            return "replica " + status.id() + ": unreachable";
        }
        StringBuilder line = new StringBuilder("replica ").append(status.id()).append(": view ").append(status.view())
                .append(status.changingView() ? " (changing view: waits for its new view)" : "")
                .append(", primary ").append(status.primary())
                .append(", last executed ").append(status.lastExecuted());
        if (health.intervalMillis() > 0 && verdict.executed() >= 0) {
            line.append(" (+").append(verdict.executed()).append(" in ").append(health.intervalMillis())
                    .append(" ms)");
        } else if (health.intervalMillis() > 0) {
            line.append(" (no answer to the first poll: progress not measured)");
        }
        line.append(", stable checkpoint ").append(status.stableCheckpoint())
                .append(", behind ").append(verdict.behind())
                .append(", state digest ").append(status.stateDigestHex());
        List<String> flags = flags(verdict, health);
        if (!flags.isEmpty()) {
            line.append(" -- ").append(String.join("; ", flags));
        }
        return line.toString();
    }

    private static List<String> flags(ClusterHealth.Verdict verdict, ClusterHealth health) {
        ReplicaStatus status = verdict.status();
        List<String> flags = new ArrayList<>();
        if (verdict.flags().contains(ClusterHealth.Flag.LAGGING)) {
            flags.add("LAGGING: " + verdict.behind() + " behind the most advanced replica (more than "
                    + health.lagLimit() + ")");
        }
        if (verdict.flags().contains(ClusterHealth.Flag.STUCK)) {
            ClusterHealth.Verdict busiest = health.busiest();
            flags.add("STUCK: executed nothing in " + health.intervalMillis() + " ms"
                    + (busiest.executed() > 0
                            ? " while replica " + busiest.status().id() + " executed " + busiest.executed()
                            : " with work waiting up to sequence number " + status.highestSequence()));
        }
        if (verdict.flags().contains(ClusterHealth.Flag.OTHER_VIEW)) {
            flags.add("OTHER VIEW: " + (health.quorumView().isPresent()
                    ? "the quorum works in view " + health.quorumView().getAsLong()
                    : "no f + 1 replicas work in one view"));
        }
        if (verdict.flags().contains(ClusterHealth.Flag.CHANGING_VIEW)) {
            flags.add("CHANGING VIEW");
        }
        if (verdict.flags().contains(ClusterHealth.Flag.NEEDS_STATE)) {
            flags.add("NEEDS STATE: behind its peers' stable checkpoint, catching up by state transfer");
        }
        return flags;
    }

    /** Which view the reachable replicas work in, and whether a view change is under way. */
    public static String views(List<ReplicaStatus> statuses) {
        SortedMap<Long, Integer> working = new TreeMap<>();
        int changing = 0;
        for (ReplicaStatus status : statuses) {
            if (status.reachable() && status.changingView()) {
                changing++;
            } else if (status.reachable()) {
                working.merge(status.view(), 1, Integer::sum);
            }
        }
        StringBuilder line = new StringBuilder();
        working.forEach((view, count) -> line.append(line.length() == 0 ? "" : "; ").append(count)
                .append(count == 1 ? " replica works" : " replicas work").append(" in view ").append(view));
        if (changing > 0) {
            line.append(line.length() == 0 ? "" : "; ").append(changing)
                    .append(changing == 1 ? " replica is" : " replicas are").append(" changing view");
        }
        return line.length() == 0 ? "no replica answered" : line.toString();
    }
}
