package io.pbft.cli;

import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pbft status}: one line per replica. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Asks every replica for its view, last executed sequence number and state digest.",
                "Prints one line per replica (or that it is unreachable); exit code 0 only if every replica"
                        + " answered."})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--counters",
            description = "Also print each replica's non-zero counters of dropped and rejected inputs.")
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
        return reachable == config.replicaCount() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static String describe(ReplicaStatus status) {
        if (!status.reachable()) {
            return "replica " + status.id() + ": unreachable";
        }
        return "replica " + status.id() + ": view " + status.view() + ", last executed " + status.lastExecuted()
                + ", state digest " + status.stateDigestHex() + ", low watermark " + status.lowWatermark();
    }
}
