package io.pbft.driver.state;

import static io.pbft.driver.state.StateFetcherTest.assertInstalled;
import static io.pbft.driver.state.TransferFixtures.clientTable;
import static io.pbft.driver.state.TransferFixtures.copyOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.driver.state.TransferFixtures.Checkpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Randomized fetches, each from its seed: random states and local divergence, random limits, a
 * random delivery order, one server lying in random ways, sometimes a slow honest server and a
 * retarget mid-fetch. Every fetch must end with exactly the last checkpoint aimed at, and the
 * harness checks after every step that no unverified partition was committed.
 *
 * <p>How many: {@code -Dpbft.transfer.seeds=500} (default {@value #DEFAULT_SEEDS}); where to start:
 * {@code -Dpbft.transfer.startSeed=1}. A failure names its seed and the command that replays it.
 */
class StateTransferProperties {

    private static final String SEEDS = "pbft.transfer.seeds";
    private static final String START_SEED = "pbft.transfer.startSeed";
    private static final long DEFAULT_SEEDS = 40;

    static LongStream seeds() {
        long start = Long.getLong(START_SEED, 1);
        return LongStream.range(start, start + Math.max(1, Long.getLong(SEEDS, DEFAULT_SEEDS)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aFetchEndsWithExactlyTheCheckpointWhateverOneServerDoes(long seed) {
        try {
            fetch(new Random(new SplittableRandom(seed).nextLong()));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " failed; replay: mvn -B -o -pl pbft -am test"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest=StateTransferProperties -D" + START_SEED + "="
                    + seed + " -D" + SEEDS + "=1", e);
        }
    }

    private static void fetch(Random random) {
        int partitions = 1 << random.nextInt(9);
        KeyValueStateMachine source = TransferFixtures.store(partitions, random.nextInt(400), "value-");
        Checkpoint first = Checkpoint.of(100, source, clientTable(random.nextInt(3_000), random.nextLong()));
        KeyValueStateMachine later = copyOf(source);
        scramble(later, random);
        Checkpoint second = Checkpoint.of(200, later, clientTable(random.nextInt(3_000), random.nextLong()));
        KeyValueStateMachine local = random.nextBoolean() ? new KeyValueStateMachine(partitions) : copyOf(source);
        scramble(local, random);

        TransferHarness harness = new TransferHarness(local, limits(random), new Random(random.nextLong()))
                .serving(first, second);
        int liar = 1 + random.nextInt(TransferHarness.REPLICAS - 1);
        harness.behave(liar, anyLie(random, partitions));
        if (random.nextInt(3) == 0) {
            harness.delay(1 + (liar % (TransferHarness.REPLICAS - 1)), random.nextInt(5_000));
        }

        harness.start(first);
        Checkpoint aim = first;
        if (random.nextInt(3) == 0) {
            harness.run(random.nextInt(300));
            if (harness.fetcher.fetching().isPresent()) {
                harness.retarget(second);
                aim = second;
            }
        }
        assertThat(harness.run(200_000)).as("completes").isTrue();
        assertInstalled(harness, aim);
    }

    /** Puts, overwrites and deletes random keys, old and new. */
    private static void scramble(KeyValueStateMachine store, Random random) {
        int changes = random.nextInt(40);
        for (int i = 0; i < changes; i++) {
            String key = "key-" + random.nextInt(500);
            if (random.nextInt(4) == 0) {
                TransferFixtures.delete(store, key);
            } else {
                TransferFixtures.put(store, key, "changed-" + random.nextInt(1_000));
            }
        }
    }

    private static StateTransferLimits limits(Random random) {
        int[] chunkBytes = {1, 16, 100, 4_096};
        return StateTransferLimits.defaults().withMaxNodeHashes(1 << (1 + random.nextInt(10)))
                .withMaxChunkBytes(chunkBytes[random.nextInt(chunkBytes.length)]);
    }

    private static Behaviour anyLie(Random random, int partitions) {
        KeyValueStateMachine forged = TransferFixtures.store(partitions, 300, "forged-");
        return Behaviour.mixed(new Random(random.nextLong()), Behaviour.HONEST, Behaviour.SILENT, Behaviour.WRONG_META,
                Behaviour.WRONG_PARTITION_COUNT, Behaviour.WRONG_NODES, Behaviour.GARBAGE_CHUNKS,
                Behaviour.forgedContent(forged), Behaviour.WRONG_TABLE);
    }
}
