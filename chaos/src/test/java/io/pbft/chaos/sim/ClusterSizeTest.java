package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSizeTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void sevenReplicasToleratingTwoFaultsStaySafeAndLive(long seed) {
        SimulationConfig config = SimulationConfig.defaults(seed).withF(2).withNetwork(SimulationProperties.LOSSY);

        SimulationProperties.assertPasses(config);
        assertThat(Simulation.run(config).lastExecuted()).hasSize(7);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aSingleReplicaWithoutFaultToleranceServesEveryRequest(long seed) {
        SimulationConfig config = SimulationConfig.defaults(seed).withF(0).withNetwork(SimulationProperties.LOSSY);

        SimulationResult result = Simulation.run(config);

        SimulationProperties.assertPasses(config);
        assertThat(result.lastExecuted()).singleElement().satisfies(last -> assertThat(last).isPositive());
        assertThat(result.lowWatermarks()).singleElement().satisfies(h -> assertThat(h).isPositive());
    }
}
