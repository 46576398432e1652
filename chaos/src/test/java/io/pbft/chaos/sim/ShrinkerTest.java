package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.LivenessChecker;
import io.pbft.chaos.check.RunHistory;
import io.pbft.chaos.check.Violation;
import io.pbft.chaos.cli.SimulateCommand;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    private final Shrinker shrinker = new Shrinker(SimulateCommand::fromArguments, Shrinker.DEFAULT_MAX_REPLAYS);

    /**
     * A checker planted by this test that fails every run in which replica 2 restarted: among a
     * dozen faults and a larger workload, one restart is the culprit.
     */
    private static final Checker REPLICA_2_MUST_NOT_RESTART = new Checker() {
        @Override
        public String name() {
            return "Planted";
        }

        @Override
        public List<Violation> check(RunHistory history) {
            return history.incarnations().get(2).size() > 1
                    ? List.of(new Violation(name(), "replica 2 restarted")) : List.of();
        }
    };

    private static final Predicate<SimulationConfig> PLANTED_CHECK_FAILS =
            config -> !REPLICA_2_MUST_NOT_RESTART.check(Simulation.run(config).history()).isEmpty();

    @Test
    void shrinkingReachesTheSingleCulpritFaultAmongMany() {
        Restart culprit = new Restart(2, 300, 600);
        SimulationConfig failing = SimulationConfig.defaults(7).withWorkload(4, 10)
                .withNetwork(FaultSchedules.LAN.withLoss(0.03).withDuplication(0.05).withReordering(0.1)
                        .withPartition(Partition.parse("0,1@100-900"))
                        .withCut(NetworkConfig.Cut.parse("3@200-700")))
                .withRestart(new Restart(1, 100, 400))
                .withRestart(culprit)
                .withPause(new Pause(3, 800, 1500))
                .withClockDrift(0.1)
                .withBehaviour(0, "equivocate")
                .withByzantineClient("replay-old")
                .withByzantineClient("two-ops");

        Shrinker.Shrunk shrunk = shrinker.shrink(failing, PLANTED_CHECK_FAILS);

        assertThat(shrunk.reproduced()).isTrue();
        assertThat(shrunk.original()).isEqualTo(failing);
        assertThat(shrunk.smallest().nonDefaultOptions())
                .containsExactly("--clients 1", "--requests 1", "--restart " + culprit);
        assertThat(shrunk.replays()).isLessThanOrEqualTo(Shrinker.DEFAULT_MAX_REPLAYS);
        assertThat(shrunk.describe())
                .contains("replay:   " + failing.replayCommand())
                .contains("smallest: scripts/pbft simulate --seed 7 --clients 1 --requests 1 --restart 2@300-600");
    }

    @Test
    void aRunThatFailsByLivenessShrinksToOneThatStillFailsByLiveness() {
        // Nothing gets through a network that loses everything: the loss is the one fault it needs.
        SimulationResult failure = Simulation.run(SimulationConfig.defaults(3).withWorkload(5, 6)
                .withNetwork(NetworkConfig.DEFAULT.withLoss(1.0).withDuplication(0.1)).withClockDrift(0.2)
                .withTimeouts(SimulationConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS, 3_000));
        assertThat(Shrinker.checkers(failure.violations())).containsExactly(LivenessChecker.NAME);

        Shrinker.Shrunk shrunk = shrinker.shrink(failure.config(), Shrinker.failsAlike(failure));

        assertThat(shrunk.smallest().nonDefaultOptions()).containsExactly("--clients 1", "--requests 1", "--loss 1.0");
        assertThat(Shrinker.checkers(Simulation.run(shrunk.smallest()).violations())).containsExactly(LivenessChecker.NAME);
    }

    @Test
    void aFailedPropertyNamesTheSmallestFailingRunBesideTheOriginal() {
        SimulationResult failure = Simulation.run(SimulationConfig.defaults(4).withWorkload(2, 2)
                .withNetwork(NetworkConfig.DEFAULT.withLoss(1.0)).withTimeouts(100, 2_000));

        assertThatThrownBy(() -> SimulationProperties.assertPassed(failure))
                .hasMessageContaining("seed 4 failed")
                .hasMessageContaining("replay:   " + failure.replayCommand())
                .hasMessageContaining("smallest: scripts/pbft simulate --seed 4 --clients 1 --requests 1 --loss 1.0");
    }

    @Test
    void aRunThatDoesNotFailAgainIsReportedUnshrunk() {
        SimulationConfig passing = SimulationConfig.defaults(5).withWorkload(1, 2);

        Shrinker.Shrunk shrunk = shrinker.shrink(passing, PLANTED_CHECK_FAILS);

        assertThat(shrunk.reproduced()).isFalse();
        assertThat(shrunk.smallest()).isEqualTo(passing);
        assertThat(shrunk.describe()).contains("not shrunk: the replay does not fail alike");
    }

    /** The shrinker builds every candidate from its replay arguments: they must give back the very config. */
    @Test
    void replayArgumentsGiveBackTheConfigTheyDescribe() {
        for (long seed = 1; seed <= 50; seed++) {
            SimulationConfig config = FaultSchedules.random(Sweep.assign(SimulationConfig.defaults(seed),
                    seed % 2 == 0 ? "equivocate" : "twin")).withRestart(new Restart((int) (seed % 4), 50, 90))
                    .withByzantineClient("two-ops").withWorkload(2, 3);

            assertThat(SimulateCommand.fromArguments(config.replayArguments())).as(config.replayCommand())
                    .isEqualTo(config);
        }
    }
}
