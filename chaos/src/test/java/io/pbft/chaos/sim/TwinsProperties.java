package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.core.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Twins: one replica runs as two honest processes with its identity and keys, its peers split
 * between them. As primary each twin orders its own batches; as backup each votes on what it hears.
 * Safety holds in every run, and the cluster goes on (the twins are its one faulty replica).
 *
 * <p>Seeds: a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10.
 */
class TwinsProperties {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aPrimaryRunningAsTwinsCannotSplitTheCluster(long seed) {
        SimulationProperties.assertPasses(SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY)
                .withBehaviour(0, Behaviours.TWIN));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aBackupRunningAsTwinsCannotSplitTheCluster(long seed) {
        SimulationProperties.assertPasses(SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY)
                .withBehaviour((int) (1 + seed % 3), Behaviours.TWIN));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void twinsOnTwoReplicasOfSevenUnderRandomFaults(long seed) {
        SimulationConfig config = SimulationConfig.defaults(seed).withF(2).withBehaviour(0, Behaviours.TWIN)
                .withBehaviour((int) (1 + seed % 6), Behaviours.TWIN);
        SimulationResult result = SimulationProperties.assertPasses(FaultSchedules.random(config));

        assertThat(result.config().behaviourOf(0)).isEqualTo(Behaviours.TWIN);
    }

    /** The twins are no mere copies: as primaries they do order different batches, which the others notice. */
    @Test
    void twinPrimariesDoSendConflictingMessages() {
        long conflicting = 0;
        for (long seed = 1; seed <= 10; seed++) {
            SimulationResult result = Simulation.run(SimulationConfig.defaults(seed).withBehaviour(0, Behaviours.TWIN));
            for (int id = 1; id < 4; id++) {
                conflicting += result.rejections().get(id).getOrDefault(Rejection.CONFLICTING_MESSAGE, 0L);
            }
        }
        assertThat(conflicting).isPositive();
    }
}
