package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.chaos.check.ClientHistory;
import io.pbft.chaos.check.ClientOperation;
import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replicas crash at random times and restart from their simulated disks, which lose what was not
 * synced; the seed also decides whether each crash strikes between two inputs or while the replica
 * logs an input's records, before that input's messages leave. Every checker runs on every run
 * (among them: a replica never contradicts what it sent before its crash, executes again what it
 * executed before with the same batches, and reaches the same state digest at every checkpoint,
 * equal to what the agreed order gives). Each run must also end with every replica in the same
 * state, the restarted ones included, and with every client request answered.
 *
 * <p>Which replicas crash, when and for how long (and when the clients fall quiet) is drawn from
 * the seed into the run's config, so the replay command a failure prints names the restarts. Seeds:
 * a tenth of {@code -Dpbft.sim.seeds} (default 200), at least 10, from {@code -Dpbft.sim.startSeed}.
 */
class CrashRestartProperties {

    /** Long enough that crashes strike while the clients work, and that every restart comes before they finish. */
    private static final int CLIENTS = 4;
    private static final int REQUESTS = 40;
    /** Enough clients that some start again with a get of a key written just before the power cut. */
    private static final int READERS_AFTER_A_POWER_CUT = 6;
    /**
     * After the clients finish, time for every replica to reach the others: one restarted late may
     * sit out of its peers' view (it voted alone to leave it) and catch up only by state transfer.
     */
    private static final long SETTLE_MILLIS = 5_000;

    private static SimulationConfig lossy(long seed) {
        return workload(SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY));
    }

    private static SimulationConfig workload(SimulationConfig config) {
        return config.withWorkload(CLIENTS, REQUESTS).withSettle(SETTLE_MILLIS);
    }

    /** Up to f replicas, the primary among the candidates, each crashing once for up to two seconds. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void upToFReplicasCrashAndRestartOnALossyNetwork(long seed) {
        assertEveryReplicaEndsInTheSameState(withRandomRestarts(lossy(seed), seed, 1, 2_000));
    }

    /** f = 2: two of seven replicas, their downtimes may overlap. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void upToFReplicasCrashAndRestartWithFTwo(long seed) {
        assertEveryReplicaEndsInTheSameState(withRandomRestarts(lossy(seed).withF(2), seed, 1, 2_000));
    }

    /** One replica crashes again and again, sometimes before it caught up from its previous crash. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aReplicaCrashesAndRestartsRepeatedly(long seed) {
        assertEveryReplicaEndsInTheSameState(withRandomRestarts(lossy(seed), seed, 4, 400));
    }

    /**
     * A storm (losses, duplicates, long overtakes) and a small window (K = 4, L = 8): restarts land
     * in the middle of view changes and state transfers, and a log holds little more than a window.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void replicasCrashAndRestartInAStormWithASmallWindow(long seed) {
        SimulationConfig storm =
                workload(SimulationConfig.defaults(seed).withNetwork(SimulationProperties.STORMY).withProtocol(4, 8, 4));
        assertEveryReplicaEndsInTheSameState(withRandomRestarts(storm, seed, 3, 1_000));
    }

    /**
     * The primary is down longer than the view-change timeout: the backups elect a new one, and the
     * old primary comes back in the view it left, holding what it promised there, and joins them.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void thePrimaryCrashesTheOthersChangeViewAndItRejoins(long seed) {
        Random random = new Random(seed);
        long crashAt = 200 + random.nextInt(1_000);
        long downMillis = SimulationConfig.DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS + 500 + random.nextInt(1_500);
        SimulationConfig config = lossy(seed).withRestart(new Restart(0, crashAt, crashAt + downMillis));

        SimulationResult result = assertEveryReplicaEndsInTheSameState(config);

        assertThat(result.views())
                .withFailMessage("seed %d: the backups never left view 0 while the primary was down; replay: %s",
                        seed, result.replayCommand())
                .allSatisfy(view -> assertThat(view).isPositive());
    }

    /**
     * The whole cluster goes down at once (a power cut) and comes back, replica by replica: no
     * replica holds anything in memory, and every one restarts from its own snapshot and log. The
     * workload completes, and every write executed before the crash is still there: each replica's
     * state at each checkpoint is what the agreed order gives (the State checker), and every key
     * reads back from every replica the value that order leaves.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theWholeClusterCrashesAtOnceAndRestartsWithoutLosingAWrite(long seed) {
        Random random = new Random(seed);
        long crashAt = 1_500 + random.nextInt(1_000);
        SimulationConfig config = lossy(seed);
        for (int replica = 0; replica < config.replicaCount(); replica++) {
            config = config.withRestart(new Restart(replica, crashAt, crashAt + 50 + random.nextInt(1_000)));
        }
        Simulation simulation = new Simulation(config);
        SimulationResult result = assertSurvivedAPowerCut(simulation, crashAt);
        KeyValueStateMachine model = agreedState(result);
        for (int key = 0; key < KvWorkload.KEY_COUNT; key++) {
            byte[] get = KvOps.get("k" + key);
            ByteString expected = ByteString.copyFrom(model.query(get));
            for (int replica : result.history().correctReplicas()) {
                assertThat(ByteString.copyFrom(simulation.query(replica, get)))
                        .withFailMessage("seed %d: replica %d reads k%d other than the agreed order leaves; replay: %s",
                                seed, replica, key, result.replayCommand())
                        .isEqualTo(expected);
            }
        }
    }

    /**
     * A power cut in a lull, as a reader meets it: the clients' writes complete, the cluster falls
     * quiet (so what each replica executed last is logged but not yet synced), the whole cluster
     * crashes at once and is back within a moment, and every client starts again the instant the
     * last replica is back. Their first gets go read-only to replicas that recovered from their
     * snapshots and logs but have not yet executed again all they executed before the crash (that
     * waits for their peers' commits). A replica must refuse them until it has, or 2f + 1 of them
     * agree on a state older than a completed write, and the Linearizability checker says so.
     *
     * <p>The power cut above cannot show this: under a steady load the next input's sync makes what
     * a replica executed durable, and each client's first answer after the restart is to a request
     * it had under way, ordered, which 2f + 1 replicas execute only after all that came before it.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theWholeClusterRestartsInALullAndTheFirstReadsSeeEveryCompletedWrite(long seed) {
        Random random = new Random(seed);
        long lullAt = 300 + random.nextInt(700);
        // Long enough for what is under way to finish, retransmissions on the lossy network included.
        long crashAt = lullAt + 500 + random.nextInt(500);
        SimulationConfig config = SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY)
                .withWorkload(READERS_AFTER_A_POWER_CUT, REQUESTS).withSettle(SETTLE_MILLIS);
        long[] backAt = new long[config.replicaCount()];
        for (int replica = 0; replica < backAt.length; replica++) {
            // Back close together: the first ones back do not catch up among themselves before the reads come.
            backAt[replica] = crashAt + 1 + random.nextInt(200);
            config = config.withRestart(new Restart(replica, crashAt, backAt[replica]));
        }
        long lastBackAt = LongStream.of(backAt).max().orElseThrow();
        Simulation simulation = new Simulation(config.withLull(new Lull(lullAt, lastBackAt)));
        SimulationResult result = assertSurvivedAPowerCut(simulation, crashAt);
        List<Long> notBackAtOnce = result.history().clients().stream()
                .filter(client -> client.operations().stream().noneMatch(op -> op.callMillis() == lastBackAt))
                .map(ClientHistory::clientId).toList();
        assertThat(notBackAtOnce)
                .withFailMessage("seed %d: clients %s did not start again the moment the cluster was back at %d ms;"
                        + " replay: %s", seed, notBackAtOnce, lastBackAt, result.replayCommand())
                .isEmpty();
    }

    /**
     * Runs {@code simulation}, in which the whole cluster crashes at {@code crashAt}: it passes every
     * check, every replica restarted and ends in the same state, and a write completed before the
     * crash, so that there was one to lose.
     */
    private static SimulationResult assertSurvivedAPowerCut(Simulation simulation, long crashAt) {
        SimulationResult result = SimulationProperties.assertPassed(simulation.run());
        assertRestarted(result);
        assertSameState(simulation, result);
        assertThat(putsReturnedBefore(result, crashAt))
                .withFailMessage("seed %d: no write completed before the crash at %d ms; replay: %s", result.seed(),
                        crashAt, result.replayCommand())
                .isNotEmpty();
        return result;
    }

    /**
     * {@code config} with {@code crashes} restarts of random replicas (at most f of them, any one),
     * each at a random time in the first two seconds and down for up to {@code maxDownMillis}.
     */
    private static SimulationConfig withRandomRestarts(SimulationConfig config, long seed, int crashes,
            int maxDownMillis) {
        Random random = new Random(seed);
        List<Integer> crashing = new ArrayList<>();
        while (crashing.size() < Math.min(config.f(), crashes)) {
            int replica = random.nextInt(config.replicaCount());
            if (!crashing.contains(replica)) {
                crashing.add(replica);
            }
        }
        SimulationConfig restarting = config;
        long[] upAgainAt = new long[config.replicaCount()];
        for (int i = 0; i < crashes; i++) {
            int replica = crashing.get(i % crashing.size());
            long crashAt = Math.max(upAgainAt[replica] + 1 + random.nextInt(300), 100 + random.nextInt(2_000));
            upAgainAt[replica] = crashAt + 1 + random.nextInt(maxDownMillis);
            restarting = restarting.withRestart(new Restart(replica, crashAt, upAgainAt[replica]));
        }
        return restarting;
    }

    private static SimulationResult assertEveryReplicaEndsInTheSameState(SimulationConfig config) {
        Simulation simulation = new Simulation(config);
        SimulationResult result = SimulationProperties.assertPassed(simulation.run());
        assertRestarted(result);
        assertSameState(simulation, result);
        return result;
    }

    /** Every restart of the config took place before the run ended: the run tested what it claims. */
    private static void assertRestarted(SimulationResult result) {
        for (int replica = 0; replica < result.config().replicaCount(); replica++) {
            int id = replica;
            long restarts = result.config().restarts().stream().filter(restart -> restart.replica() == id).count();
            assertThat(result.history().incarnations().get(replica))
                    .withFailMessage("seed %d: replica %d did not restart %d times; replay: %s", result.seed(),
                            replica, restarts, result.replayCommand())
                    .hasSize((int) restarts + 1);
        }
    }

    /** Every correct replica executed as far as the others, and holds the same state. */
    private static void assertSameState(Simulation simulation, SimulationResult result) {
        List<ByteString> digests = new ArrayList<>();
        for (int replica : result.history().correctReplicas()) {
            digests.add(simulation.stateDigest(replica));
        }
        assertThat(digests)
                .withFailMessage("seed %d: the replicas ended in different states, last executed %s; replay: %s",
                        result.seed(), result.lastExecuted(), result.replayCommand())
                .containsOnly(digests.get(0));
        assertThat(result.lastExecuted())
                .withFailMessage("seed %d: the replicas ended at different sequence numbers %s; replay: %s",
                        result.seed(), result.lastExecuted(), result.replayCommand())
                .containsOnly(result.lastExecuted().get(0));
    }

    private static List<ClientOperation> putsReturnedBefore(SimulationResult result, long millis) {
        List<ClientOperation> puts = new ArrayList<>();
        for (ClientHistory client : result.history().clients()) {
            for (ClientOperation op : client.operations()) {
                if (op.completed() && op.returnMillis() < millis && op.description().startsWith("put ")) {
                    puts.add(op);
                }
            }
        }
        return puts;
    }

    /** A fresh store after the order every correct replica executed, writes from before the crash included. */
    private static KeyValueStateMachine agreedState(SimulationResult result) {
        KeyValueStateMachine model = new KeyValueStateMachine();
        for (Execution execution : result.history().agreedExecutions()) {
            for (Request request : execution.requests()) {
                model.execute(request.operation().toByteArray());
            }
        }
        return model;
    }

    static LongStream seeds() {
        return SimulationProperties.scenarioSeeds();
    }
}
