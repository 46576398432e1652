package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.chaos.sim.ContextLogStateMachine;
import io.pbft.client.PbftClient;
import io.pbft.core.ReplicaConfig;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.counter.CounterStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service author's service run as operators run replicas: {@code pbft replica --service CLASS}
 * in four processes, stopped with SIGTERM.
 */
class ServiceLaunchLiveTest extends LiveClusterTest {

    /** What a JVM that ran its shutdown hooks on SIGTERM (signal 15) exits with. */
    private static final int EXIT_ON_SIGTERM = 128 + 15;

    @Test
    void replicasRunTheServiceNamedOnTheirCommandLineAndStopCleanlyOnSigterm() throws Exception {
        startReplicas(smallWindow(16, 4), CounterStateMachine.class.getName());
        try (PbftClient client = PbftClient.builder().cluster(replicas.config())
                .timeoutMillis(OP_TIMEOUT_MILLIS).build()) {
            long expected = 0;
            for (long delta = 1; delta <= 5; delta++) {
                expected += delta;
                byte[] result = client.invoke(CounterStateMachine.increment(delta))
                        .get(2 * OP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                // The key-value store would answer a counter's operation with an error result.
                assertThat(CounterStateMachine.valueOf(result)).hasValue(expected);
            }
        }

        assertThat(replicas.terminate(3)).isEqualTo(EXIT_ON_SIGTERM);

        // Written by ReplicaNode.close, which only the command's shutdown hook calls.
        assertThat(replicas.log(3)).contains("replica 3 stopped");
        assertThat(replicas.log(3).lines()).noneMatch(line -> line.contains(" ERROR "));
    }

    @Test
    void everyReplicaExecutesWithTheClientsIdTheSequenceNumberAndAnAgreedTime() throws Exception {
        startReplicas(smallWindow(16, 4), ContextLogStateMachine.class.getName());
        List<RequestContext> contexts = new ArrayList<>();
        long startedMillis = System.currentTimeMillis();
        long clientId;
        try (PbftClient client = PbftClient.builder().cluster(replicas.config())
                .timeoutMillis(OP_TIMEOUT_MILLIS).build()) {
            clientId = client.clientId();
            for (int i = 0; i < 10; i++) {
                byte[] result = client.invoke(new byte[] {(byte) i}).get(2 * OP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                contexts.add(ContextLogStateMachine.contextOf(result));
            }
        }
        long endedMillis = System.currentTimeMillis();

        assertThat(contexts).allSatisfy(context -> {
            assertThat(context.clientId()).isEqualTo(clientId);
            // The replicas' clocks are this machine's: the agreed time lies within the skew a backup allows.
            assertThat(context.timestampMillis()).isBetween(startedMillis - ReplicaConfig.DEFAULT_MAX_CLOCK_SKEW_MILLIS,
                    endedMillis + ReplicaConfig.DEFAULT_MAX_CLOCK_SKEW_MILLIS);
        });
        assertThat(contexts).extracting(RequestContext::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(contexts).extracting(RequestContext::timestampMillis).isSorted();
        // The state digests cover every context: equal digests, equal contexts on all four replicas.
        awaitStatuses(LiveClusterTest::allAgree, "all four replicas at the same state");
        assertNoErrorLogged();
    }
}
