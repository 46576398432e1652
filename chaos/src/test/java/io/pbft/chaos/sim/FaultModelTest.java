package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.TreeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The faults the simulator models beyond loss and delay: partitions, pauses, drifting clocks; and lulls in the workload. */
class FaultModelTest {

    @Test
    void aSymmetricPartitionCutsBothWaysBetweenTheSidesOnlyWhileInForce() {
        Partition split = Partition.parse("0,1@500-3000");

        assertThat(split.blocks(0, 2, 500)).isTrue();
        assertThat(split.blocks(3, 1, 2_999)).isTrue();
        assertThat(split.blocks(0, 1, 1_000)).isFalse(); // same side
        assertThat(split.blocks(2, 3, 1_000)).isFalse();
        assertThat(split.blocks(0, 2, 499)).isFalse();
        assertThat(split.blocks(0, 2, 3_000)).isFalse();
        assertThat(split.blocks(0, -1, 1_000)).isFalse(); // clients reach everyone
    }

    @Test
    void aOneWayPartitionLosesOnlyWhatItsSideSends() {
        Partition mute = Partition.parse("0@100-200:one-way");

        assertThat(mute.blocks(0, 1, 150)).isTrue();
        assertThat(mute.blocks(1, 0, 150)).isFalse();
        assertThat(mute).hasToString("0@100-200:one-way");
        assertThat(Partition.parse(mute.toString())).isEqualTo(mute);
    }

    @Test
    void malformedPartitionsAndPausesSayWhatTheFormIs() {
        assertThatThrownBy(() -> Partition.parse("0;1@5-9")).hasMessageContaining("R[,R...]@FROM-UNTIL[:one-way]");
        assertThatThrownBy(() -> Partition.parse("@5-9")).hasMessageContaining("as in 0,1@500-3000");
        assertThatThrownBy(() -> Pause.parse("1@900-100")).hasMessageContaining("0 <= from < until");
        assertThatThrownBy(() -> SimulationConfig.defaults(1).withPause(new Pause(4, 1, 2)))
                .hasMessageContaining("not in [0, 4)");
        assertThatThrownBy(() -> SimulationConfig.defaults(1).withClockDrift(0.5)).hasMessageContaining("[0, 0.5)");
    }

    @Test
    void aLullHoldsBackEveryClientsNextOperationUntilItEnds() {
        Lull lull = new Lull(200, 900);
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(5)
                .withNetwork(SimulationProperties.LOSSY).withWorkload(3, 30).withLull(lull));

        assertThat(result.history().clients()).allSatisfy(client -> {
            assertThat(client.operations()).noneSatisfy(op -> assertThat(lull.holds(op.callMillis())).isTrue());
            assertThat(client.operations()).anySatisfy(op -> assertThat(op.callMillis()).isEqualTo(900));
            assertThat(client.operations()).anySatisfy(op -> assertThat(op.callMillis()).isLessThan(200));
        });
        assertThat(result.replayCommand()).isEqualTo("scripts/pbft simulate --seed 5 --requests 30"
                + " --loss 0.05 --duplicate 0.05 --lull 200-900");
    }

    @Test
    void malformedLullsSayWhatTheFormIs() {
        assertThat(Lull.parse(" 1500 - 3000 ")).isEqualTo(new Lull(1500, 3000));
        assertThat(Lull.parse(new Lull(7, 8).toString())).isEqualTo(new Lull(7, 8));
        assertThatThrownBy(() -> Lull.parse("900-100")).hasMessageContaining("0 <= from < until");
        assertThatThrownBy(() -> Lull.parse("1500")).hasMessageContaining("as in 1500-3000");
        assertThatThrownBy(() -> Lull.parse("1@500-900")).hasMessageContaining("FROM-UNTIL");
    }

    @Test
    void aDriftingClockWakesACoreNoEarlierThanItAsked() {
        for (double rate : new double[] {0.7, 0.95, 1.0, 1.05, 1.3}) {
            SimClock clock = new SimClock(rate);
            for (long local = 0; local < 5_000; local += 7) {
                long simulated = clock.simulated(local);
                assertThat(clock.local(simulated)).as("rate %s, local %d", rate, local).isGreaterThanOrEqualTo(local);
                assertThat(simulated == 0 || clock.local(simulated - 1) < local).as("rate %s, local %d", rate, local)
                        .isTrue();
            }
        }
    }

    @Test
    void everyFaultIsInTheReplayCommand() {
        SimulationConfig config = SimulationConfig.defaults(9)
                .withNetwork(NetworkConfig.DEFAULT.withPartition(new Partition(new TreeSet<>(List.of(0, 2)), 10, 20, true)))
                .withPause(new Pause(1, 30, 40)).withClockDrift(0.1);

        assertThat(config.replayCommand())
                .isEqualTo("scripts/pbft simulate --seed 9 --partition 0,2@10-20:one-way --pause 1@30-40 --clock-drift 0.1");
    }

    @Test
    void aRandomScheduleIsTheSameForTheSameSeedAndVariesAcrossSeeds() {
        assertThat(FaultSchedules.random(SimulationConfig.defaults(3)))
                .isEqualTo(FaultSchedules.random(SimulationConfig.defaults(3)));
        long distinct = java.util.stream.LongStream.rangeClosed(1, 50)
                .mapToObj(seed -> FaultSchedules.random(SimulationConfig.defaults(seed)).withSeed(0)).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }

    @Test
    void aPausedReplicaMissesNothingAndComesBack() {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(4)
                .withNetwork(SimulationProperties.LOSSY).withWorkload(4, 40).withPause(new Pause(2, 200, 4_200)));

        long furthest = result.lastExecuted().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(result.lastExecuted().get(2)).isEqualTo(furthest);
    }
}
