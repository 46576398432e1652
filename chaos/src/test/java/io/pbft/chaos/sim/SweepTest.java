package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepTest {

    @Test
    void aBehaviourGoesToBetweenOneAndFReplicasDrawnFromTheSeed() {
        Set<Integer> chosen = new HashSet<>();
        Set<Integer> counts = new HashSet<>();
        for (long seed = 1; seed <= 200; seed++) {
            SimulationConfig config = Sweep.assign(SimulationConfig.defaults(seed).withF(2), "silent");
            int faulty = 0;
            for (int id = 0; id < config.replicaCount(); id++) {
                if (!config.behaviourOf(id).equals("honest")) {
                    chosen.add(id);
                    faulty++;
                }
            }
            counts.add(faulty);
            assertThat(Sweep.assign(SimulationConfig.defaults(seed).withF(2), "silent")).isEqualTo(config);
        }
        assertThat(counts).containsExactlyInAnyOrder(1, 2);
        assertThat(chosen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6); // the primary, 0, among them
    }

    @Test
    void honestMeansNobodyMisbehaves() {
        SimulationConfig config = SimulationConfig.defaults(5);

        assertThat(Sweep.assign(config, "honest")).isEqualTo(config);
    }
}
