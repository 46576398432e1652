package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pbft.chaos.sim.NetworkConfig.DelayDistribution;
import org.junit.jupiter.api.Test;

class SimulationConfigTest {

    @Test
    void theDefaultsReplayWithTheSeedAlone() {
        assertThat(SimulationConfig.defaults(17).replayCommand()).isEqualTo("scripts/pbft simulate --seed 17");
    }

    @Test
    void everyNonDefaultSettingAppearsInTheReplayCommand() {
        SimulationConfig config = SimulationConfig.defaults(-5)
                .withF(2)
                .withWorkload(4, 7)
                .withNetwork(NetworkConfig.DEFAULT.withLoss(0.05).withDuplication(0.1).withReordering(0.01)
                        .withDelay(2, 30, DelayDistribution.EXPONENTIAL))
                .withProtocol(4, 12, 2)
                .withTimeouts(150, 60_000)
                .withSettle(3_000)
                .withRestart(new Restart(0, 800, 1500))
                .withRestart(new Restart(0, 2000, 2100));

        assertThat(config.replayCommand()).isEqualTo("scripts/pbft simulate --seed -5 -f 2 --clients 4 --requests 7"
                + " --loss 0.05 --duplicate 0.1 --reorder 0.01 --min-delay-ms 2 --max-delay-ms 30"
                + " --delay exponential --checkpoint-interval 4 --window 12 --batch-size 2"
                + " --client-timeout-ms 150 --deadline-ms 60000 --settle-ms 3000 --restart 0@800-1500"
                + " --restart 0@2000-2100");
    }

    @Test
    void aCopyBuilderChangesOnlyTheFieldsItIsGivenAndChecksTheResult() {
        SimulationConfig config = SimulationConfig.defaults(3).withF(2).withBehaviour(1, "silent")
                .withByzantineClient("flood").withClockDrift(0.1);

        assertThat(config.toBuilder().build()).isEqualTo(config);
        SimulationConfig changed = config.toBuilder().seed(4).settleMillis(9).build();
        assertThat(changed.toBuilder().seed(3).settleMillis(config.settleMillis()).build()).isEqualTo(config);
        assertThat(changed.replayArguments()).isEqualTo(config.withSeed(4).withSettle(9).replayArguments());
        assertThatIllegalArgumentException().isThrownBy(() -> config.toBuilder().f(0).build())
                .withMessageContaining("at most f = 0 replicas may misbehave");
    }

    @Test
    void theReplicaConfigCarriesTheRunsProtocolKnobs() {
        SimulationConfig config = SimulationConfig.defaults(1).withF(2).withProtocol(4, 8, 3);

        assertThat(config.replicaCount()).isEqualTo(7);
        assertThat(config.replicaConfig(6).replicaId()).isEqualTo(6);
        assertThat(config.replicaConfig(6).checkpointInterval()).isEqualTo(4);
        assertThat(config.replicaConfig(6).windowSize()).isEqualTo(8);
        assertThat(config.replicaConfig(6).batchSize()).isEqualTo(3);
        assertThat(config.replicaConfig(6).maxInFlightBatches()).isLessThanOrEqualTo(8);
    }

    @Test
    void anInvalidProtocolConfigurationIsRejectedUpFront() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SimulationConfig.defaults(1).withProtocol(8, 12, 4))
                .withMessageContaining("windowSize");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SimulationConfig.defaults(1).withF(-1))
                .withMessageContaining("f must not be negative");
    }

    @Test
    void aReplicaCannotCrashAgainWhileItIsDownNorBeOutsideTheCluster() {
        SimulationConfig once = SimulationConfig.defaults(1).withRestart(new Restart(2, 500, 1000));

        assertThatIllegalArgumentException().isThrownBy(() -> once.withRestart(new Restart(2, 900, 1200)))
                .withMessageContaining("replica 2 cannot crash at 2@900-1200 while down for 2@500-1000");
        assertThat(once.withRestart(new Restart(1, 900, 1200)).restarts()).hasSize(2);
        assertThatIllegalArgumentException().isThrownBy(() -> once.withRestart(new Restart(4, 0, 10)))
                .withMessageContaining("not in [0, 4)");
    }

    @Test
    void restartsParseFromTheirCommandLineForm() {
        assertThat(Restart.parse("0@800-1500")).isEqualTo(new Restart(0, 800, 1500));
        assertThat(Restart.parse("0@800-1500").toString()).isEqualTo("0@800-1500");
        assertThatIllegalArgumentException().isThrownBy(() -> Restart.parse("0@800"))
                .withMessageContaining("R@FROM-UNTIL");
        assertThatIllegalArgumentException().isThrownBy(() -> Restart.parse("0@800-800"))
                .withMessageContaining("crash < restart");
    }
}
