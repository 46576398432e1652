package io.pbft.examples.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import io.pbft.chaos.sim.NetworkConfig;
import io.pbft.chaos.sim.Simulation;
import io.pbft.chaos.sim.SimulationConfig;
import io.pbft.chaos.sim.SimulationResult;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ledger in the deterministic simulator: four replicas, several clients, a lossy network and a
 * faulty replica, judged by the standard checkers and by the ledger's own invariants; then every
 * correct replica holds the money the clients saw deposited.
 */
class LedgerSimulationTest {

    private static final int CLIENTS = 4;
    private static final int REQUESTS_PER_CLIENT = 40;

    private static SimulationConfig config(long seed) {
        SimulationConfig base = SimulationConfig.defaults(seed).withWorkload(CLIENTS, REQUESTS_PER_CLIENT)
                .withNetwork(NetworkConfig.DEFAULT.withLoss(0.02).withDuplication(0.02).withReordering(0.05));
        // Odd seeds: a backup that equivocates; even ones: a primary that goes silent, forcing a view change.
        return seed % 2 == 1 ? base.withBehaviour(2, "equivocate") : base.withBehaviour(0, "silent@400");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void moneyIsConservedNothingIsOverdrawnAndOnlyOwnersPayOut(long seed) {
        SimulationConfig config = config(seed);
        Simulation simulation = new Simulation(config, new LedgerWorkload(CLIENTS),
                id -> Behaviours.parse(config.behaviourOf(id)));

        SimulationResult result = simulation.run();

        String replay = "seed " + seed + " (replay: this test with that seed)\n" + result.report();
        assertThat(result.passed()).as(replay).isTrue();
        assertThat(result.requestsCompleted()).as(replay).isEqualTo((long) CLIENTS * REQUESTS_PER_CLIENT);
        long deposited = acceptedDeposits(result);
        assertThat(deposited).as("every client's first deposit took effect").isGreaterThanOrEqualTo(CLIENTS);
        for (int replica = 0; replica < config.replicaCount(); replica++) {
            if (config.behaviourOf(replica).equals("honest")) {
                assertThat(totalHeld(simulation, replica)).as("replica %d, %s", replica, replay).isEqualTo(deposited);
            }
        }
    }

    /**
     * A ledger that executes every operation as if client 0 sent it, so that anyone pays out of
     * anyone's account: the replicas agree on it, so only the ledger's own checker can tell.
     */
    @Test
    void theInvariantCheckerCatchesALedgerThatLetsAnyonePayOut() {
        SimulationConfig config = SimulationConfig.defaults(5).withWorkload(CLIENTS, REQUESTS_PER_CLIENT);
        Simulation simulation = new Simulation(config, new LedgerWorkload(CLIENTS, IgnoresOwners::new),
                id -> Behaviours.parse(config.behaviourOf(id)));

        SimulationResult result = simulation.run();

        assertThat(result.violations()).isNotEmpty().allMatch(v -> v.checker().equals(LedgerInvariantChecker.NAME))
                .anyMatch(v -> v.message().contains("took effect, but acct-"));
    }

    /** The ledger with the owner check defeated: every operation runs as client 0's. */
    private static final class IgnoresOwners implements StateMachine {
        private final LedgerStateMachine ledger = new LedgerStateMachine();

        @Override
        public byte[] execute(byte[] operation, RequestContext context) {
            return ledger.execute(operation, new RequestContext(0, context.sequence(), context.timestampMillis()));
        }

        @Override
        public byte[] execute(byte[] operation) {
            return ledger.execute(operation);
        }

        @Override
        public byte[] query(byte[] operation) {
            return ledger.query(operation);
        }

        @Override
        public byte[] stateDigest() {
            return ledger.stateDigest();
        }

        @Override
        public byte[] snapshot() {
            return ledger.snapshot();
        }

        @Override
        public void restore(byte[] snapshot) {
            ledger.restore(snapshot);
        }
    }

    /** What the clients saw deposited: every operation completed, so this is every deposit that took effect. */
    private static long acceptedDeposits(SimulationResult result) {
        long total = 0;
        for (ClientHistory client : result.history().clients()) {
            for (ClientOperation op : client.operations()) {
                Optional<LedgerOp> decoded = LedgerWire.decodeOperation(op.operation().toByteArray());
                boolean done = LedgerWire.decodeResult(op.result().toByteArray())
                        .filter(LedgerResult.Done.class::isInstance).isPresent();
                if (done && decoded.isPresent() && decoded.get() instanceof LedgerOp.Deposit deposit) {
                    total += deposit.amount();
                }
            }
        }
        return total;
    }

    private static long totalHeld(Simulation simulation, int replica) {
        long total = 0;
        for (int i = 0; i < CLIENTS; i++) {
            byte[] read = LedgerWire.encode(new LedgerOp.Balance(LedgerWorkload.accountOf(Simulation.FIRST_CLIENT_ID + i)));
            LedgerResult balance = LedgerWire.decodeResult(simulation.query(replica, read)).orElseThrow();
            total += balance instanceof LedgerResult.Done done ? done.balance() : 0;
        }
        return total;
    }
}
