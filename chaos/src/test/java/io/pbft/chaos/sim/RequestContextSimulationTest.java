package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.statemachine.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The context a service executes with (client, sequence number, agreed time) is the same on every
 * replica, and the agreed time never goes back: in a lossy network, and across a view change that
 * carries batches over to a new primary.
 */
class RequestContextSimulationTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyReplicaExecutesWithTheSameContextInALossyNetwork(long seed) {
        assertContextsAgree(seed, id -> Behaviour.honest());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5})
    void theAgreedTimesSurviveAViewChange(long seed) {
        assertContextsAgree(seed, id -> id == 0 ? Behaviours.parse("silent@2000") : Behaviour.honest());
    }

    private static void assertContextsAgree(long seed, IntFunction<Behaviour> behaviours) {
        SimulationConfig config = SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY);
        List<ContextLogStateMachine> instances = new ArrayList<>();
        SimulationResult result = new Simulation(config, () -> {
            ContextLogStateMachine instance = new ContextLogStateMachine();
            instances.add(instance);
            return instance;
        }, behaviours).run();

        // Checkpoint agreement (the digests cover the contexts) and linearizability (the model runs
        // with the witness's contexts) hold.
        assertThat(result.passed()).withFailMessage(() -> result.report() + "\n" + result.replayCommand()).isTrue();
        Map<Long, List<RequestContext>> bySequence = new TreeMap<>();
        int executed = 0;
        for (ContextLogStateMachine instance : instances) {
            Map<Long, List<RequestContext>> own = new TreeMap<>();
            instance.seen().forEach(context -> own.computeIfAbsent(context.sequence(), s -> new ArrayList<>())
                    .add(context));
            own.forEach((sequence, contexts) -> {
                List<RequestContext> first = bySequence.putIfAbsent(sequence, contexts);
                assertThat(contexts).as("seed %d: contexts at sequence %d", seed, sequence)
                        .isEqualTo(first == null ? contexts : first);
            });
            executed += instance.seen().size();
        }
        assertThat(executed).as("seed %d: operations executed", seed).isPositive();
        long previous = 0;
        for (List<RequestContext> contexts : bySequence.values()) {
            long time = contexts.get(0).timestampMillis();
            assertThat(time).as("seed %d: the agreed time at sequence %d", seed, contexts.get(0).sequence())
                    .isGreaterThanOrEqualTo(previous);
            assertThat(contexts).allSatisfy(context -> assertThat(context.clientId()).isNotZero());
            previous = time;
        }
    }
}
