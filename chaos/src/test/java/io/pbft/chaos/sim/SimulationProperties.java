package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.cli.SimulateCommand;
import io.pbft.chaos.sim.NetworkConfig.DelayDistribution;
import io.pbft.core.ProtocolEvent.ViewChangeCause;
import io.pbft.core.SlowPrimaryDefence;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Safety and liveness over many seeds of a lossy, duplicating network with random delays. The
 * seeds are the simulator's own, a consecutive range, so a failure names the seed to replay.
 * (Plain JUnit parameters rather than jqwik: jqwik's maintainer asks AI agents not to use it.)
 *
 * <p>How many seeds: {@code -Dpbft.sim.seeds=5000} (default 200) and where to start:
 * {@code -Dpbft.sim.startSeed=1}, e.g. {@code mvn -o -pl chaos verify -Dpbft.sim.seeds=5000}.
 */
class SimulationProperties {

    static final String SEEDS_PROPERTY = "pbft.sim.seeds";
    static final String START_SEED_PROPERTY = "pbft.sim.startSeed";
    static final long DEFAULT_SEEDS = 200;
    /** The stormier property runs a quarter as many seeds. */
    static final int STORM_FRACTION = 4;

    static final NetworkConfig LOSSY = NetworkConfig.DEFAULT.withLoss(0.05).withDuplication(0.05);
    static final NetworkConfig STORMY = NetworkConfig.DEFAULT
            .withDelay(1, 50, DelayDistribution.EXPONENTIAL)
            .withLoss(0.1)
            .withDuplication(0.1)
            .withReordering(0.05);

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRequestCompletesSafelyOnALossyNetwork(long seed) {
        assertPasses(SimulationConfig.defaults(seed).withNetwork(LOSSY));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fewerSeeds")
    void everyRequestCompletesSafelyInAStorm(long seed) {
        assertPasses(SimulationConfig.defaults(seed).withNetwork(STORMY).withProtocol(4, 8, 4));
    }

    /**
     * Backups often cannot authenticate a pre-prepare (no session with the client yet) and must
     * wait for 2f others to vouch; the primary's retransmissions, checked afresh, let them recover.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fewerSeeds")
    void everyRequestCompletesSafelyWhenBackupsOftenCannotAuthenticateRequests(long seed) {
        assertPasses(SimulationConfig.defaults(seed).withNetwork(LOSSY).withUnverifiedPrePrepares(0.3));
    }

    /**
     * The slow-primary defence, turned on, must not cost a correct primary its view: on a network
     * that delays but does not lose, no replica votes a correct primary out as slow.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aCorrectPrimaryIsNeverVotedOutAsSlow(long seed) {
        SimulationResult result = assertPasses(SimulationConfig.defaults(seed).withWorkload(8, 40)
                .withSlowPrimaryDefence(SlowPrimaryDefence.ON));
        assertThat(result.viewChangeCauses())
                .withFailMessage("seed %d: a correct primary was voted out as slow: %s; replay: %s", seed,
                        result.viewChangeCauses(), result.replayCommand())
                .allSatisfy(causes -> assertThat(causes).doesNotContainKey(ViewChangeCause.SLOW_PRIMARY));
    }

    static SimulationResult assertPasses(SimulationConfig config) {
        return assertPassed(Simulation.run(config));
    }

    /**
     * Every check passed and every request completed; else the seed, the report, the replay command
     * and, beside it, the replay command of the smallest variant of the run that fails alike.
     */
    static SimulationResult assertPassed(SimulationResult result) {
        assertThat(result.passed())
                .withFailMessage(() -> String.format("seed %d failed:%n%s%n%s", result.seed(), result.report(),
                        SimulateCommand.shrink(result)))
                .isTrue();
        assertThat(result.requestsCompleted())
                .withFailMessage("seed %d completed %d of %d requests; replay: %s", result.seed(),
                        result.requestsCompleted(), result.requestsPlanned(), result.replayCommand())
                .isEqualTo(result.requestsPlanned());
        return result;
    }

    static LongStream seeds() {
        return seedRange(1);
    }

    /** For a property of many scenarios, each over a tenth as many seeds, at least 10. */
    static LongStream scenarioSeeds() {
        long count = Math.max(10, Long.getLong(SEEDS_PROPERTY, DEFAULT_SEEDS) / 10);
        long start = Long.getLong(START_SEED_PROPERTY, 1);
        return LongStream.range(start, start + count);
    }

    static LongStream fewerSeeds() {
        return seedRange(STORM_FRACTION);
    }

    private static LongStream seedRange(int fraction) {
        long count = Math.max(1, Long.getLong(SEEDS_PROPERTY, DEFAULT_SEEDS) / fraction);
        long start = Long.getLong(START_SEED_PROPERTY, 1);
        return LongStream.range(start, start + count);
    }
}
