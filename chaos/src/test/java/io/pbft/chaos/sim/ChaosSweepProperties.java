package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.behaviour.Behaviours;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The short sweep of {@code mvn verify}: every behaviour of the sweep catalogue over a few seeds,
 * given to 1 to f replicas each run, under network and process faults drawn from each seed
 * (partitions, a long pause, drifting clocks, LAN or WAN delays: {@link FaultSchedules}), every run
 * passing every check. The long one is {@code scripts/pbft chaos --seeds N --faults}.
 *
 * <p>Seeds per behaviour: a fiftieth of {@code -Dpbft.sim.seeds} (default 200), at least 3.
 */
class ChaosSweepProperties {

    static final java.util.List<String> BEHAVIOURS = Behaviours.SWEEP;

    @ParameterizedTest(name = "{0}")
    @FieldSource("BEHAVIOURS")
    void everyRunOfTheBehaviourPasses(String behaviour) {
        int seeds = (int) Math.max(3, Long.getLong(SimulationProperties.SEEDS_PROPERTY,
                SimulationProperties.DEFAULT_SEEDS) / 50);
        long start = Long.getLong(SimulationProperties.START_SEED_PROPERTY, 1);
        SimulationConfig template = SimulationConfig.defaults(start).withNetwork(SimulationProperties.LOSSY);

        Sweep.Outcome outcome = Sweep.run(template, behaviour, true, start, seeds, result -> {});

        assertThat(outcome.failures())
                .withFailMessage(() -> behaviour + ": " + outcome.failures().size() + " of " + seeds + " runs failed:\n"
                        + outcome.failures().stream().map(f -> f.summaryLine() + "\n  " + f.violations()
                                + "\n  replay: " + f.replayCommand()).collect(Collectors.joining("\n")))
                .isEmpty();
        assertThat(outcome.passed()).isEqualTo(seeds);
    }
}
