package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.Rejection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byzantine clients in the simulator: one that floods every replica with requests and waits for
 * nothing, one that keeps sending its old requests again. The honest clients all finish, nothing
 * executes twice, and every check holds; with a Byzantine replica beside them too.
 *
 * <p>Seeds: a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10.
 */
class ByzantineClientProperties {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aFloodingClientHoldsNoHonestClientUp(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(seed)
                .withNetwork(SimulationProperties.LOSSY).withByzantineClient("flood"));

        assertThat(result.config().replayCommand()).contains("--byzantine-client flood");
        long flooder = Simulation.FIRST_CLIENT_ID + result.config().clients();
        assertThat(result.history().agreedExecutions()).as("the flood's requests were ordered too")
                .anySatisfy(execution -> assertThat(execution.requests())
                        .anySatisfy(request -> assertThat(request.clientId()).isEqualTo(flooder)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void aClientReplayingItsOldRequestsNeverGetsOneExecutedTwice(long seed) {
        SimulationResult result = SimulationProperties.assertPasses(SimulationConfig.defaults(seed)
                .withNetwork(SimulationProperties.LOSSY).withByzantineClient("replay-old"));

        assertThat(result.rejections()).as("replicas refused the replayed requests they had executed")
                .anySatisfy(rejections -> assertThat(rejections).containsKey(Rejection.ALREADY_EXECUTED));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void hostileClientsAndAnEquivocatingPrimaryTogether(long seed) {
        SimulationProperties.assertPasses(FaultSchedules.random(SimulationConfig.defaults(seed)
                .withBehaviour(0, "equivocate").withByzantineClient("flood").withByzantineClient("replay-old")));
    }
}
