package io.pbft.chaos.sim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Honest replicas under random network and process faults ({@link FaultSchedules}): partitions of
 * every shape, symmetric and one-way, a pause as long as a full GC, clocks drifting apart, LAN and
 * WAN delays. Every check holds and every client finishes once the faults are over.
 *
 * <p>Seeds: a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10; a failure prints its
 * replay command, which names every drawn fault.
 */
class FaultScheduleProperties {

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.chaos.sim.StateTransferProperties#seeds")
    void everyCheckHoldsUnderARandomFaultSchedule(long seed) {
        SimulationProperties.assertPasses(FaultSchedules.random(SimulationConfig.defaults(seed)));
    }
}
