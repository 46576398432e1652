package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica cut off for many checkpoint intervals comes back by state transfer: it ends having
 * executed as far as the others, with every checker on (among them: correct replicas agree on the
 * state digest at every checkpoint each executed, and a replica that installed a checkpoint goes
 * on from it). The others, 2f + 1, keep serving meanwhile.
 *
 * <p>Seeds: a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10; a failure prints its
 * replay command.
 */
class StateTransferProperties {

    /** Long enough for the others to run several windows (L = 32) past the cut replica. */
    private static SimulationConfig cutOff(SimulationConfig config, long seed) {
        long from = 100 + Math.floorMod(seed * 7919, 400);
        return config.withWorkload(8, 80)
                .withNetwork(config.network().withCut(new NetworkConfig.Cut((int) (1 + seed % 3), from, from + 3_000)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReplicaCutOffForManyCheckpointsCatchesUpByStateTransfer(long seed) {
        assertCaughtUp(SimulationProperties.assertPasses(cutOff(SimulationConfig.defaults(seed), seed)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReplicaCutOffOnALossyNetworkCatchesUpByStateTransfer(long seed) {
        SimulationConfig lossy = SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY);
        assertCaughtUp(SimulationProperties.assertPasses(cutOff(lossy, seed)));
    }

    /**
     * One of the replicas the cut one fetches from serves wrong parts of every checkpoint (another
     * root, wrong node hashes, altered partitions): the fetcher checks each against the certified
     * digest, passes over the liar and still ends with the others' state (the state checker). Which
     * lie is caught how is ByzantineServerTest's, in pbft.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReplicaServingWrongStateCannotCorruptTheOneCatchingUp(long seed) {
        SimulationConfig config = cutOff(SimulationConfig.defaults(seed), seed);
        int cut = config.network().cuts().get(0).replica();
        int liar = cut % 3 + 1; // another backup: the cut one is 1, 2 or 3
        assertCaughtUp(SimulationProperties.assertPasses(config.withBehaviour(liar, "wrong-state")));
    }

    /**
     * Seeds that found bugs: two fetch requests timing out at once lost one partition (a TreeMap
     * entry read after its removal), and a duplicated answer was taken for a later request's.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20043, 20053, 20167, 20185, 20200, 20221})
    void regressions(long seed) {
        aReplicaCutOffOnALossyNetworkCatchesUpByStateTransfer(seed);
    }

    /** Every replica executed as far as the furthest one: the cut one too, though it missed whole windows. */
    private static void assertCaughtUp(SimulationResult result) {
        long furthest = result.lastExecuted().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(result.lastExecuted())
                .withFailMessage("seed %d: a replica did not catch up: last executed %s; replay: %s", result.seed(),
                        result.lastExecuted(), result.replayCommand())
                .allSatisfy(executed -> assertThat(executed).isEqualTo(furthest));
    }

    static LongStream seeds() {
        return SimulationProperties.scenarioSeeds();
    }
}
