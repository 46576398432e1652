package io.pbft.cli;

import io.pbft.client.ReplicaStatus;
import io.pbft.client.StatusClient;
import io.pbft.config.ClusterConfig;
import io.pbft.wire.ProvenEquivocation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pbft evidence}: what proofs of equivocation each replica holds. A proof is two messages a
 * replica signed that no correct replica signs together; each holding replica keeps the signed
 * messages as received, so the proof does not rest on its word.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"Asks every replica which proofs of equivocation it holds: pairs of conflicting messages one"
                + " replica signed (two pre-prepares or prepares for one view and sequence number, or two"
                + " checkpoints for one sequence number, with different content).",
                "Prints, per replica, one line per proof; --hex adds both signed messages. Exit code 0 when a"
                        + " replica answered (whatever it holds), 1 when none did."})
public final class EvidenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--hex", description = "Also print both signed messages of each proof, in hex.")
    boolean hex;

    @Override
    public Integer call() throws Exception {
        ClusterConfig config = cluster.load();
        List<ReplicaStatus> statuses = StatusClient.query(config, Duration.ofMillis(cluster.timeoutMillis()));
        PrintWriter out = spec.commandLine().getOut();
        boolean anyAnswered = false;
        for (ReplicaStatus status : statuses) {
            if (!status.reachable()) {
                out.printf("replica %d: unreachable%n", status.id());
                continue;
            }
            anyAnswered = true;
            List<ProvenEquivocation> proofs = status.evidence();
            out.printf("replica %d: %s%n", status.id(), proofs.isEmpty() ? "holds no proof of equivocation"
                    : "holds " + proofs.size() + (proofs.size() == 1 ? " proof" : " proofs") + " of equivocation");
            for (ProvenEquivocation proof : proofs) {
                out.printf("  %s%n", proof.describe());
                if (hex) {
                    out.printf("    first:  %s%n    second: %s%n", HexFormat.of().formatHex(proof.first().toByteArray()),
                            HexFormat.of().formatHex(proof.second().toByteArray()));
                }
            }
        }
        out.flush();
        return anyAnswered ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
