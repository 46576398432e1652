package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.client.PbftClient;
import io.pbft.statemachine.counter.CounterStateMachine;
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
}
