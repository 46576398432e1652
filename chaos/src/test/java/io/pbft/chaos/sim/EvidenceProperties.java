package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Proofs of equivocation in the simulator: replicas facing a primary that equivocates keep proofs
 * against it, and no correct replica is ever proven to equivocate (the Evidence check, on every run).
 */
class EvidenceProperties {

    @Test
    void honestReplicasProveAnEquivocatingPrimaryAndOnlyIt() {
        long proofsAgainstThePrimary = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Simulation simulation = new Simulation(SimulationConfig.defaults(seed).withBehaviour(0, "equivocate"));
            SimulationResult result = simulation.run();
            assertThat(result.violations()).as(result.replayCommand()).isEmpty();
            for (int id = 1; id < 4; id++) {
                proofsAgainstThePrimary += simulation.evidence(id).stream().filter(proof -> proof.sender() == 0).count();
                assertThat(simulation.evidence(id)).allSatisfy(proof -> assertThat(proof.sender()).isZero());
            }
        }
        assertThat(proofsAgainstThePrimary).isPositive();
    }
}
