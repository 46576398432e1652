package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import io.pbft.driver.DropReason;
import io.pbft.node.ReplicaNode;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import io.pbft.statemachine.kv.Transaction;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four replica nodes (f = 1) in this JVM over loopback with Netty, driven by real clients:
 * concurrent clients agree with a sequential model, compare-and-set increments of one shared
 * counter are never lost, and all replicas end in the same state. Workloads are drawn from a
 * seed; a failure names it ({@code -Dpbft.seed=S} replays the same operations).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveClusterTest {

    private static final Logger log = LoggerFactory.getLogger(LiveClusterTest.class);

    static final int CLIENTS = 4;
    static final int OPS_PER_CLIENT = 300;
    static final int KEYS_PER_CLIENT = 5;
    static final int INCREMENTS_PER_CLIENT = 25;
    static final int MAX_CAS_ATTEMPTS_PER_CLIENT = 5_000;
    static final String COUNTER = "shared-counter";
    static final long SEED = Long.getLong("pbft.seed", System.nanoTime());
    private static final Duration WORKLOAD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;

    private LiveCluster cluster;
    /** The state the cluster must end in: every client's keys as its model left them, and the counter. */
    private final KeyValueStateMachine expectedState = new KeyValueStateMachine();

    @BeforeAll
    void startCluster() throws Exception {
        // Checkpoints every 64 still move the watermarks many times over a run of about a thousand
        // sequence numbers. The window is the default's because a replica that misses messages
        // (at start, before every peer connection is up) can only catch up from what its peers
        // still keep, one window below their low watermark, until state transfer exists: with a
        // window of 64 and the cluster ordering over a thousand batches a second, a replica that
        // lost one early message was once left behind for good. Frequent status messages make
        // the loss noticed sooner.
        cluster = LiveCluster.start(directory, 4,
                ReplicaConfig.defaults(4, 0).withWindow(256, 64).withStatusInterval(50), 200);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One planned operation and the result the sequential model gave for it. */
    record PlannedOp(String description, byte[] operation, byte[] expected) {}

    @Test
    @Order(1)
    void concurrentClientsEachSeeTheResultsOfASequentialModel() throws Exception {
        List<PbftClient> clients = new ArrayList<>();
        try {
            List<List<PlannedOp>> plans = new ArrayList<>();
            List<List<CompletableFuture<byte[]>>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                KeyValueStateMachine model = new KeyValueStateMachine();
                plans.add(plan(c, new Random(SEED + c), model));
                recordFinalState(c, model);
                clients.add(PbftClient.builder().cluster(cluster.config).build());
            }
            long start = System.nanoTime();
            // Every client's whole plan is queued at once: the client must still send one at a time, in order.
            for (int c = 0; c < CLIENTS; c++) {
                List<CompletableFuture<byte[]>> futures = new ArrayList<>();
                for (PlannedOp op : plans.get(c)) {
                    futures.add(clients.get(c).invoke(op.operation()));
                }
                results.add(futures);
            }
            for (int c = 0; c < CLIENTS; c++) {
                for (int i = 0; i < OPS_PER_CLIENT; i++) {
                    PlannedOp op = plans.get(c).get(i);
                    byte[] actual = results.get(c).get(i).get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(actual)
                            .as("client %d op %d (%s), seed %d: got %s, model says %s", c, i, op.description(), SEED,
                                    KvResult.decode(actual), KvResult.decode(op.expected()))
                            .isEqualTo(op.expected());
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.info("sequential-model workload: {} clients x {} ops = {} ops in {} ms (seed {})", CLIENTS,
                    OPS_PER_CLIENT, CLIENTS * OPS_PER_CLIENT, millis, SEED);
            for (PbftClient client : clients) {
                assertThat(client.stats().repliesRejectedBadMac()).isZero();
                assertThat(client.stats().repliesRejectedMismatched()).isZero();
            }
        } finally {
            clients.forEach(PbftClient::close);
        }
    }

    @Test
    @Order(2)
    void compareAndSetIncrementsOfASharedCounterAreNeverLost() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        List<KvClient> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(new KvClient(PbftClient.builder().cluster(cluster.config).build()));
            }
            long start = System.nanoTime();
            List<Future<int[]>> outcomes = new ArrayList<>();
            for (KvClient client : clients) {
                outcomes.add(threads.submit(() -> incrementUntil(client, INCREMENTS_PER_CLIENT)));
            }
            int successes = 0;
            int attempts = 0;
            for (Future<int[]> outcome : outcomes) {
                int[] counts = outcome.get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                successes += counts[0];
                attempts += counts[1];
            }
            Optional<String> counter = clients.get(0).get(COUNTER).get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            log.info("shared counter: {} clients, {} successful CAS of {} attempts ({} ops with the reads) in {} ms",
                    CLIENTS, successes, attempts, 2 * attempts + 1, millis);
            assertThat(successes).isEqualTo(CLIENTS * INCREMENTS_PER_CLIENT);
            assertThat(counter).contains(Integer.toString(successes));
            expectedState.execute(KvOps.put(COUNTER, Integer.toString(successes)));
        } finally {
            threads.shutdownNow();
            clients.forEach(KvClient::close);
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Order(3)
    void allReplicasEndWithTheSameLastExecutedAndStateDigest() {
        String expectedDigest = HexFormat.of().formatHex(expectedState.stateDigest());
        List<ReplicaStatus> statuses = cluster.awaitConverged();
        assertThat(statuses.get(0).stateDigestHex()).as("the state every client's model predicts").isEqualTo(expectedDigest);
        log.info("replicas converged: last executed {}, low watermark {}", statuses.get(0).lastExecuted(),
                statuses.get(0).lowWatermark());
        for (int id = 0; id < 4; id++) {
            ReplicaNode node = cluster.node(id);
            assertThat(node.metrics().coreFailures()).isZero();
            assertThat(node.metrics().dropped(DropReason.BAD_SIGNATURE)).isZero();
            assertThat(node.metrics().dropped(DropReason.MALFORMED_FRAME)).isZero();
            log.info("replica {}: dropped {} (undeliverable replies {}, pre-prepares with unverifiable requests {})",
                    id, node.metrics().droppedTotal(), node.metrics().dropped(DropReason.REPLY_UNDELIVERABLE),
                    node.metrics().dropped(DropReason.BAD_REQUEST_AUTHENTICATOR));
        }
    }

    /** Read, then compare-and-set to one more, until {@code target} successes; returns {successes, attempts}. */
    private static int[] incrementUntil(KvClient client, int target) throws Exception {
        int successes = 0;
        int attempts = 0;
        while (successes < target && attempts < MAX_CAS_ATTEMPTS_PER_CLIENT) {
            Optional<String> current = client.get(COUNTER).get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String next = Integer.toString(current.map(Integer::parseInt).orElse(0) + 1);
            attempts++;
            if (client.cas(COUNTER, current.orElse(null), next).get(WORKLOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .success()) {
                successes++;
            }
        }
        return new int[] {successes, attempts};
    }

    /** Mixed operations on this client's own keys, with the model's result for each. */
    private static List<PlannedOp> plan(int client, Random random, KeyValueStateMachine model) {
        List<PlannedOp> ops = new ArrayList<>();
        for (int i = 0; i < OPS_PER_CLIENT; i++) {
            String key = key(client, random.nextInt(KEYS_PER_CLIENT));
            Optional<String> current = KvResult.decode(model.query(KvOps.get(key))).asValue().value();
            String value = "v" + i;
            int kind = random.nextInt(100);
            String description;
            byte[] operation;
            if (kind < 25) {
                description = "get " + key;
                operation = KvOps.get(key);
            } else if (kind < 55) {
                description = "put " + key + "=" + value;
                operation = KvOps.put(key, value);
            } else if (kind < 80) {
                String expected = random.nextBoolean() ? current.orElse(null) : "stale" + i;
                description = "cas " + key + " " + expected + "->" + value;
                operation = KvOps.cas(key, expected, value);
            } else if (kind < 90) {
                description = "delete " + key;
                operation = KvOps.delete(key);
            } else {
                String other = key(client, random.nextInt(KEYS_PER_CLIENT));
                Transaction tx = Transaction.builder()
                        .require(key, random.nextBoolean() ? current.orElse(null) : "stale" + i)
                        .put(other, value).read(key).read(other).build();
                description = "transaction on " + key + " and " + other;
                operation = KvOps.transaction(tx);
            }
            ops.add(new PlannedOp(description, operation, model.execute(operation)));
        }
        return ops;
    }

    private void recordFinalState(int client, KeyValueStateMachine model) {
        for (int k = 0; k < KEYS_PER_CLIENT; k++) {
            String key = key(client, k);
            KvResult.decode(model.query(KvOps.get(key))).asValue().value()
                    .ifPresent(value -> expectedState.execute(KvOps.put(key, value)));
        }
    }

    private static String key(int client, int index) {
        return "c" + client + "-k" + index;
    }
}
