package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.chaos.check.Checker;
import io.pbft.chaos.check.Checkers;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import io.pbft.chaos.check.RunHistory;
import io.pbft.chaos.check.Violation;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.counter.CounterStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The simulator runs a workload other than key-value: its service, its operations, its checkers. */
class WorkloadSeamTest {

    private static final long SEED = 41;

    /** Increments of 1..3 on a counter; each client must see the counter only go up. */
    private static class CounterWorkload implements Workload {
        final List<Long> accepted = new ArrayList<>();

        @Override
        public StateMachine newService() {
            return new CounterStateMachine();
        }

        @Override
        public ClientOperations client(long clientId) {
            return new ClientOperations() {
                @Override
                public Operation next(Random random, long timestamp) {
                    long delta = 1 + random.nextInt(3);
                    return new Operation("add " + delta, ByteString.copyFrom(CounterStateMachine.increment(delta)));
                }

                @Override
                public void onResult(Operation operation, ByteString result) {
                    accepted.add(CounterStateMachine.valueOf(result.toByteArray()).orElse(-1));
                }
            };
        }

        @Override
        public List<Checker> checkers() {
            List<Checker> checkers = new ArrayList<>(Checkers.all(this::newService));
            checkers.add(new IncreasingPerClient());
            return checkers;
        }
    }

    private static final class IncreasingPerClient implements Checker {
        @Override
        public String name() {
            return "IncreasingPerClient";
        }

        @Override
        public List<Violation> check(RunHistory history) {
            List<Violation> violations = new ArrayList<>();
            for (ClientHistory client : history.clients()) {
                long previous = 0;
                for (ClientOperation op : client.operations()) {
                    OptionalLong value = CounterStateMachine.valueOf(op.result().toByteArray());
                    if (op.completed() && (value.isEmpty() || value.getAsLong() <= previous)) {
                        violations.add(new Violation(name(), op + " saw " + value + " after " + previous));
                    }
                    previous = value.orElse(previous);
                }
            }
            return violations;
        }
    }

    @Test
    void aCounterWorkloadRunsItsOwnOperationsAndIsJudgedByItsOwnCheckerToo() {
        SimulationConfig config = SimulationConfig.defaults(SEED).withWorkload(3, 15);
        CounterWorkload workload = new CounterWorkload();
        Simulation simulation = new Simulation(config, workload, id -> Behaviours.parse("honest"));

        SimulationResult result = simulation.run();

        assertThat(result.passed()).as(result.report()).isTrue();
        assertThat(workload.accepted).hasSize(45).allMatch(value -> value > 0);
        long total = CounterStateMachine.valueOf(simulation.query(0, CounterStateMachine.read())).orElseThrow();
        assertThat(workload.accepted).contains(total).allMatch(value -> value <= total);
    }

    @Test
    void aViolationOfTheWorkloadsOwnCheckerFailsTheRun() {
        CounterWorkload lying = new CounterWorkload() {
            @Override
            public List<Checker> checkers() {
                List<Checker> checkers = new ArrayList<>(super.checkers());
                checkers.add(new Checker() {
                    @Override
                    public String name() {
                        return "AlwaysFails";
                    }

                    @Override
                    public List<Violation> check(RunHistory history) {
                        return List.of(new Violation(name(), history.clients().size() + " clients ran"));
                    }
                });
                return checkers;
            }
        };

        SimulationResult result = new Simulation(SimulationConfig.defaults(SEED).withWorkload(2, 3), lying,
                id -> Behaviours.parse("honest")).run();

        assertThat(result.violations()).containsExactly(new Violation("AlwaysFails", "2 clients ran"));
    }
}
