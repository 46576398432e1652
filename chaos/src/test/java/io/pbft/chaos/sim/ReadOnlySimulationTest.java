package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulated clients send their gets read-only (accepted on 2f + 1 matching replies, else
 * ordered) and their writes complete on 2f + 1: with Byzantine replicas from the catalogue and
 * network and process faults drawn from each seed, every history stays linearizable, reads among
 * it. The long run is {@code scripts/pbft chaos --seeds 500 --faults}.
 */
class ReadOnlySimulationTest {

    private static final int SEEDS = 8;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wrong-replies", "silent", "equivocate", "wrong-state", "twin", "lie-in-view-changes"})
    void readOnlyGetsKeepEveryHistoryLinearizable(String behaviour) {
        SimulationConfig template = SimulationConfig.defaults(1).withNetwork(SimulationProperties.LOSSY);
        int answeredReadOnly = 0;
        int gets = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationConfig config = FaultSchedules.random(Sweep.assign(template.withSeed(seed), behaviour));
            SimulationResult result = Simulation.run(config);
            assertThat(result.passed()).withFailMessage(() -> result.report() + "\n" + result.replayCommand())
                    .isTrue();
            for (ClientHistory client : result.history().clients()) {
                for (ClientOperation op : client.operations()) {
                    if (op.completed() && op.description().startsWith("get ")) {
                        gets++;
                        answeredReadOnly += op.readOnly() ? 1 : 0;
                    }
                }
            }
        }
        // Most gets are answered without ordering; some fall back when replies split or lag.
        assertThat(answeredReadOnly).as("%s: gets answered read-only, of %d", behaviour, gets)
                .isPositive().isGreaterThan(gets / 4);
    }
}
