package io.pbft.chaos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChaosCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new ChaosCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void aSweepPrintsOneRowPerBehaviourAndATotal() {
        int exitCode = run("--seeds", "2", "--behaviours", "equivocate,silent@300");

        assertThat(exitCode).withFailMessage(out::toString).isZero();
        assertThat(out.toString())
                .containsPattern("behaviour\\s+runs\\s+passed\\s+safety\\s+liveness\\s+seeds/s")
                .containsPattern("equivocate\\s+2\\s+2\\s+0\\s+0\\s+\\d")
                .containsPattern("silent@300\\s+2\\s+2\\s+0\\s+0\\s+\\d")
                .containsPattern("all\\s+4\\s+4\\s+0\\s+0\\s+\\d")
                .doesNotContain("replay:");
    }

    @Test
    void aRunThatCannotFinishIsALivenessFailureWithItsReplayCommand() {
        // Nothing gets through a network that loses everything: no client can finish, nothing is unsafe.
        int exitCode = run("--seeds", "1", "--behaviours", "silent", "--loss", "1.0");

        assertThat(exitCode).isEqualTo(1);
        assertThat(out.toString())
                .contains("FAIL silent: seed 1 FAIL")
                .containsPattern("silent\\s+1\\s+0\\s+0\\s+1\\s+\\d")
                .containsPattern("replay: scripts/pbft simulate --seed 1 .*--loss 1\\.0.* --behaviour \\d=silent");
    }

    @Test
    void withShrinkAFailurePrintsItsSmallestVariantBesideItsReplayCommand() {
        int exitCode = run("--seeds", "1", "--behaviours", "silent", "--loss", "1.0", "--shrink");

        assertThat(exitCode).isEqualTo(1);
        // The silent replica, the duplication and most of the workload play no part: the loss alone stops everyone.
        assertThat(out.toString())
                .containsPattern("replay:   scripts/pbft simulate --seed 1 .*--loss 1\\.0.* --behaviour \\d=silent")
                .containsPattern("smallest: scripts/pbft simulate --seed 1 --clients 1 --requests 1 --loss 1\\.0 \\(");
    }

    @Test
    void anUnknownBehaviourIsAUsageErrorBeforeAnyRun() {
        int exitCode = run("--seeds", "1", "--behaviours", "equivocate,sulk");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("unknown behaviour 'sulk'");
        assertThat(out.toString()).doesNotContain("behaviour ");
    }
}
