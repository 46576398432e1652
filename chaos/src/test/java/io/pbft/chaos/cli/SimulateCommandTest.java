package io.pbft.chaos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.sim.Lull;
import io.pbft.chaos.sim.SimulationConfig;
import io.pbft.cli.SubcommandProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new SimulateCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void aRangeOfSeedsPrintsOneLinePerSeedAndASummary() {
        int exitCode = run("--seeds", "3", "--start-seed", "10", "--requests", "5");

        assertThat(exitCode).isZero();
        assertThat(out.toString())
                .contains("seed 10 PASS requests 15/15", "seed 11 PASS", "seed 12 PASS")
                .containsPattern("3 seeds \\(10\\.\\.12\\): 3 passed, 0 failed; \\d+ events; .* seeds/s")
                .doesNotContain("replay:");
    }

    @Test
    void oneSeedPrintsADetailedReportWithItsReplayCommand() {
        int exitCode = run("--seed", "7", "--requests", "4", "--loss", "0.05");

        assertThat(exitCode).isZero();
        assertThat(out.toString())
                .startsWith("seed 7 PASS requests 12/12")
                .contains("replay: scripts/pbft simulate --seed 7 --requests 4 --loss 0.05")
                .containsPattern("stopped: \\S+ at \\d+ ms, trace [0-9a-f]{16}, history [0-9a-f]{16}")
                .contains("replica 3: view 0, last executed", "client 102: 4/4 done", "all checks passed");
    }

    @Test
    void withShrinkAFailingSeedPrintsItsSmallestFailingVariant() {
        int exitCode = run("--seed", "2", "--requests", "3", "--loss", "1.0", "--duplicate", "0.1",
                "--deadline-ms", "2000", "--shrink");

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString())
                .contains("replay:   scripts/pbft simulate --seed 2 --requests 3 --loss 1.0 --duplicate 0.1"
                        + " --deadline-ms 2000")
                .contains("smallest: scripts/pbft simulate --seed 2 --clients 1 --requests 1 --loss 1.0 (");
    }

    @Test
    void aFailingSeedExitsNonZeroAndPrintsItsReplayCommand() {
        // Nothing gets through a network that loses everything: no client can finish.
        int exitCode = run("--seeds", "2", "--requests", "1", "--loss", "1.0", "--deadline-ms", "2000");

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString())
                .contains("seed 1 FAIL requests 0/3", "Liveness: client 100 completed 0 of 1")
                .contains("0 passed, 2 failed")
                .contains("replay: scripts/pbft simulate --seed 2 --requests 1 --loss 1.0 --deadline-ms 2000");
    }

    @Test
    void aRestartedReplicaIsNamedInTheReportAndItsRestartInTheReplayCommand() {
        int exitCode = run("--seed", "3", "--requests", "10", "--restart", "2@300-900");

        assertThat(exitCode).isZero();
        assertThat(out.toString())
                .contains("replay: scripts/pbft simulate --seed 3 --requests 10 --restart 2@300-900")
                .contains("replica 2 (restarted 1x): view", "all checks passed");
    }

    @Test
    void theOptionDefaultsAreTheSimulatorDefaults() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs();

        assertThat(command.config(99)).isEqualTo(SimulationConfig.defaults(99));
    }

    @Test
    void aLullOnTheCommandLineIsTheOneItsReplayCommandNames() {
        SimulationConfig config = SimulateCommand.fromArguments("--seed 4 --lull 1500-3000 --restart 0@1600-1700");

        assertThat(config.lulls()).containsExactly(new Lull(1500, 3000));
        assertThat(SimulateCommand.fromArguments(config.replayArguments())).isEqualTo(config);
    }

    @Test
    void anInvalidConfigurationIsAUsageError() {
        int exitCode = run("--seeds", "1", "--checkpoint-interval", "8", "--window", "12");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("windowSize must be a multiple of checkpointInterval");
    }

    @Test
    void theCommandIsRegisteredAsASubcommandOfPbft() {
        assertThat(ServiceLoader.load(SubcommandProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(provider -> {
                    assertThat(provider.name()).isEqualTo("simulate");
                    assertThat(provider.command()).isInstanceOf(SimulateCommand.class);
                });
    }
}
