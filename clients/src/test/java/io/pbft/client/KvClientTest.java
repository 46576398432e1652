package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import io.pbft.statemachine.kv.Transaction;
import io.pbft.testing.Await;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The typed key-value API over fake replicas that run a real {@link KeyValueStateMachine}. */
class KvClientTest {

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static KvClient kv(FakeCluster cluster) {
        return new KvClient(PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).build());
    }

    @Test
    void putGetAndDeleteAnswerWithValuesAndPreviousValues() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); KvClient kv = kv(cluster)) {
            cluster.execute(new KeyValueStateMachine());
            assertThat(await(kv.get("k"))).isEmpty();
            assertThat(await(kv.put("k", "1"))).isEmpty();
            assertThat(await(kv.put("k", "2"))).contains("1");
            assertThat(await(kv.get("k"))).contains("2");
            assertThat(await(kv.delete("k"))).contains("2");
            assertThat(await(kv.get("k"))).isEmpty();
        }
    }

    @Test
    void casSucceedsOnlyOnTheExpectedValue() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); KvClient kv = kv(cluster)) {
            cluster.execute(new KeyValueStateMachine());
            assertThat(await(kv.cas("k", null, "a"))).isEqualTo(new KvResult.CasOutcome(true, Optional.of("a")));
            assertThat(await(kv.cas("k", "x", "b"))).isEqualTo(new KvResult.CasOutcome(false, Optional.of("a")));
            assertThat(await(kv.cas("k", "a", "b"))).isEqualTo(new KvResult.CasOutcome(true, Optional.of("b")));
        }
    }

    @Test
    void aTransactionCommitsAllOrNothingAndAnswersItsReads() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); KvClient kv = kv(cluster)) {
            cluster.execute(new KeyValueStateMachine());
            await(kv.put("from", "10"));
            KvResult.TransactionOutcome failed = await(kv.transaction(Transaction.builder()
                    .require("from", "9").put("from", "0").read("from").build()));
            assertThat(failed.committed()).isFalse();
            assertThat(failed.read("from")).contains("10");
            KvResult.TransactionOutcome done = await(kv.transaction(Transaction.builder()
                    .require("from", "10").require("lock", null).put("from", "7").put("to", "3").read("to").build()));
            assertThat(done.committed()).isTrue();
            assertThat(done.read("to")).contains("3");
        }
    }

    @Test
    void anInvalidAnswerFailsWithTheStoresReason() throws Exception {
        byte[] invalid = new KeyValueStateMachine().execute(new byte[] {(byte) 0xff});
        String reason = ((KvResult.Invalid) KvResult.decode(invalid)).reason();
        try (FakeCluster cluster = FakeCluster.start(4); KvClient kv = kv(cluster)) {
            cluster.execute(answering(operation -> invalid));
            KvResultException failure = failure(kv.put("k", "v"));
            assertThat(failure.reason()).isEqualTo(reason);
        }
    }

    @Test
    void resultBytesThatAreNotAKvResultFailTheCall() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); KvClient kv = kv(cluster)) {
            cluster.execute(answering(operation -> new byte[] {(byte) 0xff, 0x01}));
            assertThat(failure(kv.get("k")).reason()).isEqualTo(KvResult.MALFORMED_RESULT);
        }
    }

    @Test
    void anAnswerOfAnotherKindFailsTheCall() throws Exception {
        byte[] previous = new KeyValueStateMachine().execute(KvOps.put("k", "v"));
        try (FakeCluster cluster = FakeCluster.start(4); KvClient kv = kv(cluster)) {
            cluster.execute(answering(operation -> previous));
            assertThat(failure(kv.get("k")).reason()).contains("expected a Value");
        }
    }

    private static KvResultException failure(CompletableFuture<?> future) throws Exception {
        try {
            await(future);
            throw new AssertionError("completed normally");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(KvResultException.class);
            return (KvResultException) e.getCause();
        }
    }

    private static StateMachine answering(UnaryOperator<byte[]> answer) {
        return new PbftClientTest.EchoStateMachine() {
            @Override
            public byte[] execute(byte[] operation) {
                return answer.apply(operation);
            }
        };
    }
}
