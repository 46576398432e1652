package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.behaviour.Behaviours;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After the faults are over and the clients done, every correct replica that is up works in one
 * view, none waiting in a view change: a replica that was paused, cut off, or that voted its primary
 * out alone rejoins its peers instead of sitting out every view to come, one of the f faults the
 * cluster tolerates spent on a correct replica. Each run draws a fault schedule (partitions, a long
 * pause, drifting clocks, lossy WAN delays) and gives one of the sweep's behaviours to up to f
 * replicas, as {@code scripts/pbft chaos --faults} does, and settles long enough for an idle cluster
 * to join a lone voter (a timeout, doubled by the view changes without progress before it).
 *
 * <p>Seeds: a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10, per behaviour; a
 * failure prints the replay command, with {@code --settle-ms}.
 */
class RejoinProperties {

    private static final long SETTLE_MILLIS = 20_000;

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        List<String> specs = new ArrayList<>(Behaviours.SWEEP);
        specs.add(0, "honest");
        for (String spec : specs) {
            LongStream seeds = SimulationProperties.scenarioSeeds();
            seeds.forEach(seed -> runs.add(Arguments.of(spec, seed)));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("runs")
    void everyCorrectReplicaEndsWorkingInOneViewOnceTheFaultsAreOver(String spec, long seed) {
        SimulationConfig config = FaultSchedules.random(Sweep.assign(SimulationConfig.defaults(seed), spec))
                .withSettle(SETTLE_MILLIS);
        SimulationResult result = SimulationProperties.assertPasses(config);

        List<String> working = new ArrayList<>();
        Set<Long> views = new TreeSet<>();
        boolean changingView = false;
        for (int id : result.history().correctReplicas()) {
            if (result.down().get(id)) {
                continue;
            }
            views.add(result.views().get(id));
            changingView |= result.changingView().get(id);
            working.add("replica " + id + " in view " + result.views().get(id)
                    + (result.changingView().get(id) ? " (changing view)" : ""));
        }
        assertThat(views.size() == 1 && !changingView)
                .withFailMessage("seed %d: the correct replicas that are up do not work in one view: %s; replay: %s",
                        seed, working, result.replayCommand())
                .isTrue();
    }
}
