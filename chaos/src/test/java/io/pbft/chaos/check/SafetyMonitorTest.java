package io.pbft.chaos.check;

import static io.pbft.chaos.check.Histories.bytes;
import static io.pbft.chaos.check.Histories.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.Execution;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.Request;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafetyMonitorTest {

    private final Request a = request(100, 1);
    private final Request b = request(101, 1);
    private final SafetyMonitor monitor = new SafetyMonitor(4, Set.of(0, 1, 2, 3));

    private static Execution execution(long sequence, Request... batch) {
        return new Execution(sequence, PrePrepare.digestOf(List.of(batch)), List.of(batch), false);
    }

    @Test
    void agreeingExecutionsPass() {
        monitor.onExecuted(0, execution(1, a));
        monitor.onExecuted(1, execution(1, a));
        monitor.onCheckpoint(0, 8, bytes("s"));
        monitor.onCheckpoint(1, 8, bytes("s"));
        monitor.onStep(0, 8, 8, 3, 32, 7);

        assertThat(monitor.violated()).isFalse();
    }

    @Test
    void conflictingBatchesAreCaughtAtOnce() {
        monitor.onExecuted(0, execution(1, a));
        monitor.onExecuted(2, execution(1, b));

        assertThat(monitor.violations()).singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("Agreement"));
    }

    @Test
    void aRequestExecutedTwiceByOneReplicaIsCaught() {
        monitor.onExecuted(0, execution(1, a));
        monitor.onExecuted(0, execution(2, b, a));

        assertThat(monitor.violations()).singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("ExactlyOnce"));
    }

    @Test
    void divergentCheckpointDigestsAreCaught() {
        monitor.onCheckpoint(0, 8, bytes("s"));
        monitor.onCheckpoint(3, 8, bytes("t"));

        assertThat(monitor.violations()).singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("CheckpointAgreement"));
    }

    @Test
    void aProofAgainstACorrectReplicaIsCaughtAndOneAgainstAFaultyOneIsNot() {
        SafetyMonitor oneFaulty = new SafetyMonitor(4, Set.of(1, 2, 3));

        oneFaulty.onProof(1, 0, "replica 0 signed two different PRE-PREPARE messages");
        oneFaulty.onProof(0, 2, "a faulty replica's word counts for nothing");
        assertThat(oneFaulty.violations()).isEmpty();

        oneFaulty.onProof(1, 2, "replica 2 signed two different PREPARE messages");
        assertThat(oneFaulty.violations()).singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo(SafetyMonitor.EVIDENCE));
    }

    @Test
    void brokenBoundsAreCaught() {
        monitor.onStep(0, 10, 16, 3, 32, 10); // low watermark at a checkpoint no correct replica reached
        monitor.onStep(1, 10, 8, 40, 32, 10); // log larger than its capacity
        monitor.onStep(2, 9, 8, 3, 32, 10); // went back

        assertThat(monitor.violations()).hasSize(3).allSatisfy(v -> assertThat(v.checker()).isEqualTo("Bounds"));
    }

    @Test
    void aLowWatermarkAboveWhatAReplicaExecutedIsFineWhenACorrectReplicaReachedThatCheckpoint() {
        monitor.onCheckpoint(1, 16, bytes("s"));

        monitor.onStep(0, 10, 16, 3, 32, 10); // certified by a quorum before replica 0 got there

        assertThat(monitor.violated()).isFalse();
    }

    @Test
    void faultyReplicasAreNotChecked() {
        SafetyMonitor withFaulty = new SafetyMonitor(4, Set.of(0, 1, 2));
        withFaulty.onExecuted(0, execution(1, a));
        withFaulty.onExecuted(3, execution(1, b));

        assertThat(withFaulty.violated()).isFalse();
    }

    @Test
    void aRestartedReplicaMayExecuteWhatItExecutedBeforeAgainButNothingElse() {
        monitor.onExecuted(0, execution(1, a));
        monitor.onExecuted(0, execution(2, b));
        monitor.onCheckpoint(0, 2, bytes("s"));
        monitor.onRestart(0);
        monitor.onExecuted(0, execution(2, b));
        monitor.onCheckpoint(0, 2, bytes("s"));

        assertThat(monitor.violated()).isFalse();

        monitor.onRestart(0);
        monitor.onExecuted(0, execution(2, a));

        assertThat(monitor.violations()).extracting(Violation::checker).containsExactly("Agreement", "ExactlyOnce");
    }

    @Test
    void aReplicaThatContradictsWhatItSentBeforeIsCaught() {
        monitor.onSent(1, new Prepare(0, 5, bytes("d"), 1));
        monitor.onSent(1, new Prepare(0, 5, bytes("d"), 1)); // resent: fine
        monitor.onRestart(1);
        monitor.onSent(1, new Prepare(0, 5, bytes("e"), 1));

        assertThat(monitor.violations()).singleElement()
                .satisfies(v -> assertThat(v.checker()).isEqualTo("Equivocation"));
    }

    @Test
    void aFaultyReplicaMayContradictItself() {
        SafetyMonitor withFaulty = new SafetyMonitor(4, Set.of(0, 1, 2));
        withFaulty.onSent(3, new Prepare(0, 5, bytes("d"), 3));
        withFaulty.onSent(3, new Prepare(0, 5, bytes("e"), 3));

        assertThat(withFaulty.violated()).isFalse();
    }
}
