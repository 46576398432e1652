package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.counter.CounterStateMachine;
import io.pbft.testing.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A typed client over fake replicas that run a real counter: operations in, decoded results out. */
class ServiceClientTest {

    /** The counter's own encoding: an increment by a delta, answered with the new value. */
    private static final Codec<Long, Long> COUNTER = new Codec<>() {
        @Override
        public byte[] encode(Long delta) {
            if (delta < 0) {
                throw new IllegalArgumentException("a counter only counts up, not by " + delta);
            }
            return CounterStateMachine.increment(delta);
        }

        @Override
        public Long decode(Long delta, byte[] result) throws ResultException {
            return CounterStateMachine.valueOf(result).orElseThrow(
                    () -> new ResultException("increment by " + delta + ": the counter answered "
                            + result.length + " bytes that are not a value"));
        }
    };

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ServiceClient<Long, Long> counter(FakeCluster cluster) {
        return new ServiceClient<>(PbftClient.builder().cluster(cluster.config).build(), COUNTER);
    }

    @Test
    void operationsAreEncodedAndResultsDecoded() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                ServiceClient<Long, Long> counter = counter(cluster)) {
            cluster.execute(new CounterStateMachine());

            assertThat(await(counter.invoke(2L))).isEqualTo(2L);
            assertThat(await(counter.invoke(5L))).isEqualTo(7L);
        }
    }

    @Test
    void aResultTheCodecCannotDecodeFailsTheCallWithItsReason() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                ServiceClient<Long, Long> counter = counter(cluster)) {
            cluster.execute(new PbftClientTest.EchoStateMachine() {
                @Override
                public byte[] execute(byte[] operation) {
                    return new byte[] {1, 2, 3};
                }
            });

            assertThatThrownBy(() -> await(counter.invoke(1L))).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ResultException.class)
                    .hasMessage("increment by 1: the counter answered 3 bytes that are not a value");
        }
    }

    @Test
    void anOperationTheCodecRefusesFailsAtOnceAndIsNotSent() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                ServiceClient<Long, Long> counter = counter(cluster)) {
            cluster.execute(new CounterStateMachine());

            assertThatThrownBy(() -> await(counter.invoke(-1L))).cause()
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not by -1");
            assertThat(await(counter.invoke(1L))).as("the refused operation never executed").isEqualTo(1L);
        }
    }
}
