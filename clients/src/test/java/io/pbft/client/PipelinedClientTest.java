package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import io.pbft.driver.DropReason;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, item 6: one {@link PbftClient} serves many threads with many requests outstanding.
 * 10,000 requests from 16 threads over one client against four live replicas: every request
 * completes once, every result is what a sequential model of its key says, and the replicas end
 * in the state the models predict. Half the threads call {@link PbftClient#invokeAndWait}; the other
 * half keep one asynchronous call outstanding on each of their keys, so that more calls are
 * wanted than the window lets out. A failure names the seed ({@code -Dpbft.seed=S} replays the
 * same operations; the interleaving differs).
 */
class PipelinedClientTest {

    private static final Logger log = LoggerFactory.getLogger(PipelinedClientTest.class);

    static final int THREADS = 16;
    static final int OPS_PER_THREAD = 625;
    static final int KEYS_PER_THREAD = 8;
    static final long SEED = Long.getLong("pbft.seed", System.nanoTime());
    private static final Duration WORKLOAD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path directory;

    /** The state the cluster must end in: every thread's keys as its model left them. */
    private final KeyValueStateMachine expectedState = new KeyValueStateMachine();
    private final AtomicInteger completions = new AtomicInteger();

    /** One operation sent, and the result the model of its key gave for it. */
    private record Sent(String description, CompletableFuture<byte[]> result, byte[] expected) {}

    @Test
    void tenThousandRequestsFromSixteenThreadsOverOneClientEachCompleteOnceAsASequentialModelSays()
            throws Exception {
        ReplicaConfig protocol = ReplicaConfig.defaults(4, 0).withWindow(256, 64).withStatusInterval(50);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (LiveCluster cluster = LiveCluster.start(directory, 4, protocol, 200);
                PbftClient client = PbftClient.builder().cluster(cluster.config).window(PbftClient.MAX_WINDOW).build()) {
            long start = System.nanoTime();
            List<Future<KeyValueStateMachine>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(threads.submit(() -> thread % 2 == 0 ? runAsync(client, thread) : runBlocking(client, thread)));
            }
            for (int t = 0; t < THREADS; t++) {
                recordFinalState(t, workers.get(t).get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.info("pipelined client: {} threads x {} ops = {} ops in {} ms (seed {})", THREADS, OPS_PER_THREAD,
                    THREADS * OPS_PER_THREAD, millis, SEED);

            assertThat(completions.get()).isEqualTo(THREADS * OPS_PER_THREAD);
            assertThat(client.stats().requestsCompleted()).as("completed by the client, each once")
                    .isEqualTo(THREADS * OPS_PER_THREAD);
            assertThat(client.stats().requestsTimedOut()).isZero();
            assertReplicasEndInTheModelsState(cluster);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** One call outstanding per key: each key's calls are sequential, the keys' calls overlap. */
    private KeyValueStateMachine runAsync(PbftClient client, int thread) throws Exception {
        Random random = new Random(SEED + thread);
        KeyValueStateMachine model = new KeyValueStateMachine();
        List<Sent> lanes = new ArrayList<>();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            int lane = i % KEYS_PER_THREAD;
            if (lanes.size() > lane) {
                check(thread, lanes.get(lane), lanes.get(lane).result().get(WORKLOAD_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS));
            }
            byte[] operation = operation(thread, lane, i, random, model);
            CompletableFuture<byte[]> result = client.invoke(operation);
            result.whenComplete((bytes, failure) -> completions.incrementAndGet());
            Sent sent = new Sent("op " + i + " on " + key(thread, lane), result, model.execute(operation));
            if (lanes.size() > lane) {
                lanes.set(lane, sent);
            } else {
                lanes.add(sent);
            }
        }
        for (Sent sent : lanes) {
            check(thread, sent, sent.result().get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        }
        return model;
    }

    private KeyValueStateMachine runBlocking(PbftClient client, int thread) throws Exception {
        Random random = new Random(SEED + thread);
        KeyValueStateMachine model = new KeyValueStateMachine();
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            byte[] operation = operation(thread, random.nextInt(KEYS_PER_THREAD), i, random, model);
            byte[] expected = model.execute(operation);
            byte[] actual = client.invokeAndWait(operation);
            completions.incrementAndGet();
            check(thread, new Sent("op " + i, null, expected), actual);
        }
        return model;
    }

    private static void check(int thread, Sent sent, byte[] actual) {
        assertThat(actual).as("thread %d, %s, seed %d: got %s, model says %s", thread, sent.description(), SEED,
                KvResult.decode(actual), KvResult.decode(sent.expected())).isEqualTo(sent.expected());
    }

    /** A put, get, compare-and-set or delete of one key of the thread's. */
    private static byte[] operation(int thread, int keyIndex, int i, Random random, KeyValueStateMachine model) {
        String key = key(thread, keyIndex);
        String value = "t" + thread + "-v" + i;
        int kind = random.nextInt(100);
        if (kind < 20) {
            return KvOps.get(key);
        }
        if (kind < 60) {
            return KvOps.put(key, value);
        }
        if (kind < 90) {
            Optional<String> current = KvResult.decode(model.query(KvOps.get(key))).asValue().value();
            return KvOps.cas(key, random.nextBoolean() ? current.orElse(null) : "stale" + i, value);
        }
        return KvOps.delete(key);
    }

    private synchronized void recordFinalState(int thread, KeyValueStateMachine model) {
        for (int k = 0; k < KEYS_PER_THREAD; k++) {
            String key = key(thread, k);
            KvResult.decode(model.query(KvOps.get(key))).asValue().value()
                    .ifPresent(value -> expectedState.execute(KvOps.put(key, value)));
        }
    }

    private void assertReplicasEndInTheModelsState(LiveCluster cluster) {
        List<ReplicaStatus> statuses = cluster.awaitConverged();
        assertThat(statuses.get(0).stateDigestHex()).as("the state the models predict")
                .isEqualTo(HexFormat.of().formatHex(expectedState.stateDigest()));
        for (int id = 0; id < 4; id++) {
            assertThat(cluster.node(id).metrics().coreFailures()).isZero();
            log.info("replica {}: dropped {} (superseded requests {})", id, cluster.node(id).metrics().droppedTotal(),
                    cluster.node(id).metrics().dropped(DropReason.SUPERSEDED_REQUEST));
        }
    }

    private static String key(int thread, int index) {
        return "t" + thread + "-k" + index;
    }
}
