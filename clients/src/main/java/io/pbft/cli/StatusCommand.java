package io.pbft.cli;

import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pbft status}: one line per replica. Public for {@link #views}, which the failover
 * benchmark prints too.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Asks every replica for its view and primary, whether it is changing view, its last"
                + " executed sequence number and state digest.",
                "Prints one line per replica (or that it is unreachable), then the view the reachable"
                        + " replicas work in; exit code 0 only if every replica answered."})
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--counters",
            description = "Also print each replica's non-zero counters of dropped and rejected inputs, and what state"
                    + " transfer fetched since it started.")
    boolean counters;

    @Override
    public Integer call() throws Exception {
        ClusterConfig config = cluster.load();
        List<ReplicaStatus> statuses = StatusClient.query(config, Duration.ofMillis(cluster.timeoutMillis()));
        PrintWriter out = spec.commandLine().getOut();
        long reachable = statuses.stream().filter(ReplicaStatus::reachable).count();
        for (ReplicaStatus status : statuses) {
            out.println(describe(status));
            if (counters) {
                status.counters().forEach((name, value) -> out.println("  " + name + " = " + value));
            }
        }
        out.println(reachable + " of " + config.replicaCount() + " replicas reachable (f = " + config.f() + ")");
        out.println(views(statuses));
        return reachable == config.replicaCount() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static String describe(ReplicaStatus status) {
        if (!status.reachable()) {
            return "replica " + status.id() + ": unreachable";
        }
        StringBuilder line = new StringBuilder("replica ").append(status.id()).append(": view ").append(status.view())
                .append(status.changingView() ? " (changing view: waits for its new view)" : "")
                .append(", primary ").append(status.primary())
                .append(", last executed ").append(status.lastExecuted())
                .append(", state digest ").append(status.stateDigestHex())
                .append(", low watermark ").append(status.lowWatermark());
        if (status.needsState()) {
            line.append(", behind its peers' stable checkpoint: needs state transfer");
        }
        return line.toString();
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
