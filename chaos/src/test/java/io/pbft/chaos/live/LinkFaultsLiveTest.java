package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.KeygenCommand;
import io.pbft.cli.PbftCli;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.client.ReplicaStatus;
import io.pbft.core.ReplicaConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The fault layer of live replicas ({@code replica --fault-control}), driven as an operator drives it,
 * through {@code pbft fault}: four replica JVMs under a recorded workload; the primary is cut off
 * from the others on both sides, then the links heal, then one backup drops and delays part of what
 * it sends. The others must vote the isolated primary out and go on, all four must agree in the
 * end, and the clients' history must be linearizable.
 */
class LinkFaultsLiveTest extends LiveClusterTest {

    private static final int PRIMARY = 0;
    private static final long OPS_BEFORE_CUT = 200;
    private static final long OPS_WHILE_CUT = 100;
    private static final long OPS_LOSSY = 150;
    private static final long OPS_AFTER = 150;
    private static final Pattern DROPPED = Pattern.compile(" dropped=(\\d+)");
    private static final Pattern DELAYED = Pattern.compile(" delayed=(\\d+)");

    @Test
    void anIsolatedPrimaryIsVotedOutAndAfterHealingAndLossyLinksAllAgreeOnALinearizableHistory() throws Exception {
        startReplicas(smallWindow(2048, 128), launch -> launch.withReplicaOptions("--fault-control"));
        WorkloadResult result;
        try (LiveWorkload workload = LiveWorkload.start(replicas.config(), CLIENTS, MAX_OPS, settings())) {
            awaitSettled(workload, OPS_BEFORE_CUT, "operations settled before the cut");
            fault(PRIMARY, "--cut", "1,2,3");
            for (int backup = 1; backup < REPLICAS; backup++) {
                fault(backup, "--cut", "" + PRIMARY);
            }
            awaitStatuses(LiveClusterTest::othersThanZeroWorkInANewView,
                    "replicas 1 to 3 in a view above 0, not changing view, while replica 0 is cut off");
            awaitSettled(workload, workload.settled() + OPS_WHILE_CUT, "operations settled while the primary is cut off");
            String isolated = fault(PRIMARY, "--heal");
            for (int backup = 1; backup < REPLICAS; backup++) {
                fault(backup, "--heal");
            }
            fault(2, "--drop", "0.2", "--delay-ms", "20");
            awaitSettled(workload, workload.settled() + OPS_LOSSY, "operations settled with replica 2's links lossy");
            String lossy = fault(2, "--clear");
            workload.finishAfter(OPS_AFTER);
            result = workload.result(WORKLOAD_END);

            assertThat(count(DROPPED, isolated)).as("frames replica 0 dropped while cut off: %s", isolated).isPositive();
            // The answer gives the settings now in force (none) and what the lossy ones did.
            assertThat(lossy).startsWith("ok cut=none drop=0.0 delay-ms=0 ");
            assertThat(count(DROPPED, lossy)).as("frames replica 2 dropped on its lossy links: %s", lossy).isPositive();
            assertThat(count(DELAYED, lossy)).as("frames replica 2 delayed: %s", lossy).isPositive();
        }
        List<ReplicaStatus> end = awaitStatuses(LiveClusterTest::allAgree,
                "all four in one view with the same last executed and state, the links healed");

        assertLinearizable(result);
        assertThat(end).extracting(ReplicaStatus::view).allMatch(view -> view >= 1);
        assertThat(fault(1)).startsWith("ok cut=none drop=0.0 delay-ms=0 dropped=");
        assertThat(replicas.log(PRIMARY).lines()).anyMatch(line -> line.contains("cut=1,2,3"));
        assertNoErrorLogged();
    }

    /** Runs {@code pbft fault --replica id ARGS} against this cluster and returns what it printed. */
    private String fault(int id, String... settings) {
        List<String> args = new ArrayList<>(List.of("fault", "--replica", "" + id));
        args.addAll(List.of(settings));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = pbft(out, err, args.toArray(String[]::new));
        assertThat(exit).as("pbft %s: %s", String.join(" ", args), err).isZero();
        return out.toString().strip();
    }

    private int pbft(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = PbftCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> withConfig = new ArrayList<>(List.of(args));
        withConfig.addAll(List.of("--config", dir.resolve(KeygenCommand.CONFIG_FILE).toString()));
        return cli.execute(withConfig.toArray(String[]::new));
    }

    private static long count(Pattern counter, String answer) {
        Matcher matcher = counter.matcher(answer);
        assertThat(matcher.find()).as("%s in '%s'", counter, answer).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
