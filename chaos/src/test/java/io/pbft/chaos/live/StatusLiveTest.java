package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.ExitCodes;
import io.pbft.cli.KeygenCommand;
import io.pbft.cli.PbftCli;
import io.pbft.client.ReplicaStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code pbft status} against real replica processes under load (the issue "status hides what
 * matters": a backup paused under load, and status said "4 of 4 replicas reachable" and exited 0).
 * With one backup paused with SIGSTOP the three others make progress, so status flags the paused
 * one and exits 0; with a second backup paused, f + 1 are stopped, the primary holds work it
 * cannot execute, and status flags it stuck and exits 1.
 */
class StatusLiveTest extends LiveClusterTest {

    /** Settled before the first pause: the JVMs have compiled the hot paths. */
    private static final long OPS_BEFORE_PAUSE = 300;
    /** Settled while one backup is paused: the three others go on. */
    private static final long OPS_WITH_ONE_PAUSED = 100;
    /**
     * Lag limit for this test: under load, replicas answer a poll moments apart, a few batches apart;
     * lagging by more than the checkpoint interval is the unit tests' business.
     */
    private static final String LAG = "1000";

    @Test
    void statusFlagsAPausedBackupAndExitsNonZeroOnceFPlusOneAreStopped() throws Exception {
        startReplicas(smallWindow(64, 8));
        try (LiveWorkload workload = LiveWorkload.start(replicas.config(), CLIENTS, MAX_OPS, settings())) {
            awaitSettled(workload, OPS_BEFORE_PAUSE, "operations settled before the pause");
            List<ReplicaStatus> before = awaitStatuses(ReplicaStatus::workInOneView,
                    "all four replicas in one view, not changing view");
            int primary = before.get(0).primary();
            int firstBackup = Math.floorMod(primary - 1, REPLICAS);
            int secondBackup = Math.floorMod(primary - 2, REPLICAS);

            replicas.pause(firstBackup);
            awaitSettled(workload, workload.settled() + OPS_WITH_ONE_PAUSED,
                    "operations settled with replica " + firstBackup + " paused");
            Status onePaused = status();

            assertThat(onePaused.exitCode).as(onePaused.out).isEqualTo(ExitCodes.OK);
            assertThat(onePaused.out).contains("replica " + firstBackup + ": unreachable",
                    "3 of 4 replicas make progress (2f + 1 = 3 must, f = 1)");

            replicas.pause(secondBackup);
            Status twoPaused = status();

            assertThat(twoPaused.exitCode).as(twoPaused.out).isEqualTo(ExitCodes.FAILED);
            assertThat(twoPaused.out).contains("replica " + firstBackup + ": unreachable",
                    "replica " + secondBackup + ": unreachable",
                    "of 4 replicas make progress (2f + 1 = 3 must, f = 1): the cluster cannot order requests");
            assertThat(twoPaused.line(primary)).as(twoPaused.out)
                    .contains("STUCK: executed nothing in 500 ms with work waiting up to sequence number");
        }
    }

    /** Runs {@code pbft status} as the command line does, polling twice half a second apart. */
    private Status status() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = PbftCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        int exitCode = commandLine.execute("status", "--config", dir.resolve(KeygenCommand.CONFIG_FILE).toString(),
                "--timeout-ms", "3000", "--interval-ms", "500", "--lag", LAG);
        System.out.printf(Locale.ROOT, "%s: pbft status exited %d:%n%s", testName(), exitCode, out);
        return new Status(exitCode, out.toString());
    }

    private record Status(int exitCode, String out) {
        String line(int replica) {
            return out.lines().filter(line -> line.startsWith("replica " + replica + ":")).findFirst().orElse("");
        }
    }
}
