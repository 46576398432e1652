package io.pbft.bench.jmh;

import com.google.protobuf.ByteString;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.MessageSigner;
import io.pbft.core.Outbound;
import io.pbft.core.Replica;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.driver.state.CheckpointDigests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protocol core alone, without network or cryptography: four {@link Replica} cores (f = 1)
 * in one thread order one batch of {@code batchSize} requests end to end: the primary's
 * pre-prepare, every backup's prepare, everyone's commit, execution (an echo service) and, every
 * checkpoint interval, the checkpoints that move the watermarks. One invocation is one batch on
 * all four cores, so (batch size / time per invocation) bounds what the cores could order per
 * second if they had a core each and nothing else to do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmark {

    private static final int N = 4;
    private static final long NOW_MILLIS = 1;
    private static final ByteString STATE_DIGEST = ByteString.copyFrom(new byte[32]);

    @Param({"1", "16", "128"})
    int batchSize;

    private Replica[] replicas;
    private ByteString operation;
    private long timestamp;
    private final ArrayDeque<Delivery> network = new ArrayDeque<>();
    /** Per replica, executions to run and report in the order the core emitted them. */
    private final List<ArrayDeque<Execution>> toExecute = new ArrayList<>();
    private long executedRequests;

    private record Delivery(int from, int to, Outbound outbound) {}

    /** The core's own cost is measured here, not Ed25519's (see CryptoBenchmark): envelopes are left empty. */
    private static final MessageSigner UNSIGNED = new MessageSigner() {
        @Override
        public <M extends ReplicaMessage> Signed<M> sign(M message) {
            return new Signed<>(message, ByteString.EMPTY);
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        replicas = new Replica[N];
        for (int id = 0; id < N; id++) {
            // A batch delay that never runs out at the fixed time: the primary proposes only full batches.
            ReplicaConfig config = ReplicaConfig.defaults(N, id).withBatching(batchSize, 1_000_000, 8);
            replicas[id] = new Replica(config, UNSIGNED, new CheckpointDigests());
            toExecute.add(new ArrayDeque<>());
        }
        operation = ByteString.copyFrom("put k0=some-value-of-moderate-length", StandardCharsets.UTF_8);
    }

    @Benchmark
    public long orderOneBatch() {
        timestamp++;
        long before = executedRequests;
        for (int client = 0; client < batchSize; client++) {
            Request request = Request.of(client + 1L, timestamp, operation);
            carryOut(0, replicas[0].onRequest(request, NOW_MILLIS));
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int id = 0; id < N; id++) {
                Execution execution = toExecute.get(id).poll();
                if (execution != null) {
                    progress = true;
                    carryOut(id, replicas[id].onExecuted(execution.sequence(), execute(execution),
                            execution.checkpoint() ? STATE_DIGEST : ByteString.EMPTY, NOW_MILLIS));
                }
            }
            Delivery delivery = network.poll();
            if (delivery != null) {
                progress = true;
                carryOut(delivery.to(), deliver(delivery));
            }
        }
        long executed = executedRequests - before;
        if (executed != (long) batchSize * N) {
            throw new IllegalStateException("expected " + batchSize * N + " executions, saw " + executed);
        }
        return executed;
    }

    @SuppressWarnings("unchecked")
    private Effects deliver(Delivery delivery) {
        Replica to = replicas[delivery.to()];
        Outbound outbound = delivery.outbound();
        if (outbound.message() instanceof PrePrepare prePrepare) {
            return to.onPrePrepare(delivery.from(), new Signed<>(prePrepare, outbound.envelope()), outbound.batch(),
                    true, NOW_MILLIS);
        }
        if (outbound.isSigned()) {
            return to.onSigned(delivery.from(), new Signed<>(outbound.message(), outbound.envelope()), NOW_MILLIS);
        }
        return to.onMessage(delivery.from(), outbound.message(), NOW_MILLIS);
    }

    private void carryOut(int self, Effects effects) {
        for (Outbound outbound : effects.messages()) {
            if (outbound.isBroadcast()) {
                for (int to = 0; to < N; to++) {
                    if (to != self) {
                        network.add(new Delivery(self, to, outbound));
                    }
                }
            } else {
                network.add(new Delivery(self, outbound.destination(), outbound));
            }
        }
        toExecute.get(self).addAll(effects.executions());
    }

    /** The echo service: each request's result is its operation. */
    private List<ByteString> execute(Execution execution) {
        List<ByteString> results = new ArrayList<>(execution.requests().size());
        for (Request request : execution.requests()) {
            results.add(request.operation());
        }
        executedRequests += results.size();
        return results;
    }
}
