package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static final SimulationConfig LOSSY =
            SimulationConfig.defaults(42).withNetwork(SimulationProperties.STORMY);

    @Test
    void theSameSeedGivesTheSameRunEventForEvent() {
        SimulationResult first = Simulation.run(LOSSY);
        SimulationResult second = Simulation.run(LOSSY);

        assertThat(second.eventsProcessed()).isEqualTo(first.eventsProcessed());
        assertThat(second.traceDigest()).isEqualTo(first.traceDigest());
        assertThat(second.historyDigest()).isEqualTo(first.historyDigest());
        assertThat(second.simulatedMillis()).isEqualTo(first.simulatedMillis());
        assertThat(second.network()).isEqualTo(first.network());
        assertThat(second.lastExecuted()).isEqualTo(first.lastExecuted());
        assertThat(second.history().executions()).isEqualTo(first.history().executions());
        assertThat(second.history().checkpointDigests()).isEqualTo(first.history().checkpointDigests());
        assertThat(second.history().clients()).isEqualTo(first.history().clients());
        assertThat(second.rejections()).isEqualTo(first.rejections());
    }

    @Test
    void crashesAndRestartsFromSimulatedDisksReplayEventForEventToo() {
        SimulationConfig crashing = LOSSY.withRestart(new Restart(0, 300, 1_500)).withRestart(new Restart(2, 700, 900));

        SimulationResult first = Simulation.run(crashing);
        SimulationResult second = Simulation.run(crashing);

        assertThat(first.history().incarnations().get(0)).hasSize(2);
        assertThat(second.traceDigest()).isEqualTo(first.traceDigest());
        assertThat(second.historyDigest()).isEqualTo(first.historyDigest());
        assertThat(second.history().incarnations()).isEqualTo(first.history().incarnations());
    }

    @Test
    void aPowerCutInALullReplaysEventForEventToo() {
        SimulationConfig powerCut = LOSSY.withLull(new Lull(300, 1_200));
        for (int replica = 0; replica < powerCut.replicaCount(); replica++) {
            powerCut = powerCut.withRestart(new Restart(replica, 900, 1_000 + 50 * replica));
        }

        SimulationResult first = Simulation.run(powerCut);
        SimulationResult second = Simulation.run(powerCut);

        assertThat(first.history().incarnations()).allSatisfy(incarnations -> assertThat(incarnations).hasSize(2));
        assertThat(second.traceDigest()).isEqualTo(first.traceDigest());
        assertThat(second.historyDigest()).isEqualTo(first.historyDigest());
        assertThat(second.history().clients()).isEqualTo(first.history().clients());
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        SimulationResult first = Simulation.run(LOSSY);
        SimulationResult other = Simulation.run(LOSSY.withSeed(43));

        assertThat(other.traceDigest()).isNotEqualTo(first.traceDigest());
        assertThat(other.historyDigest()).isNotEqualTo(first.historyDigest());
        assertThat(other.history().clients()).isNotEqualTo(first.history().clients());
    }

    @Test
    void aRunActuallyCrossesCheckpointsAndLosesMessages() {
        // Guards the property tests against a configuration in which nothing interesting happens.
        SimulationResult result = Simulation.run(LOSSY);

        assertThat(result.lowWatermarks()).anySatisfy(h -> assertThat(h).isPositive());
        assertThat(result.history().checkpointDigests().get(0)).isNotEmpty();
        assertThat(result.network().dropped()).isPositive();
        assertThat(result.network().duplicated()).isPositive();
        assertThat(result.history().clients())
                .flatMap(c -> c.operations())
                .anySatisfy(op -> assertThat(op.retransmissions()).isPositive());
    }
}
