package io.pbft.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The seeds of this package's randomized properties: a consecutive range, one parameterized case
 * each, so a failure names its seed and how to run it again.
 *
 * <p>How many: {@code -Dpbft.storage.seeds=1000} (default {@value #DEFAULT_SEEDS}); where to
 * start: {@code -Dpbft.storage.startSeed=1}.
 */
final class StorageSeeds {

    static final String SEEDS_PROPERTY = "pbft.storage.seeds";
    static final String START_SEED_PROPERTY = "pbft.storage.startSeed";
    static final long DEFAULT_SEEDS = 4;

    /**
     * Where a property runs: in memory it tries every offset or bit; on real files, where each
     * trial syncs, a sample of them.
     */
    enum Disk {
        MEMORY, FILES;

        LogStorage open(Path directory, Random random) throws IOException {
            return this == MEMORY ? new SimulatedDisk(random) : NioLogStorage.open(directory);
        }

        /** How many trials to draw for a property that samples {@code onFiles} on real files; 0 for all. */
        int sample(int onFiles) {
            return this == MEMORY ? 0 : onFiles;
        }
    }

    /** One run of a property from its seed's random source. */
    interface Check {
        void run(Random random) throws Exception;
    }

    private StorageSeeds() {
    }

    /**
     * The run's random source. The seed is spread first: the first draws of {@code new
     * Random(seed)} for neighbouring seeds are nearly the same.
     */
    static Random random(long seed) {
        return new Random(new SplittableRandom(seed).nextLong());
    }

    static LongStream seeds() {
        long start = Long.getLong(START_SEED_PROPERTY, 1);
        return LongStream.range(start, start + Math.max(1, Long.getLong(SEEDS_PROPERTY, DEFAULT_SEEDS)));
    }

    /** Each seed, in memory and on real files. */
    static Stream<Arguments> seedsOnEachDisk() {
        return seeds().boxed()
                .flatMap(seed -> Stream.of(Arguments.of(Disk.MEMORY, seed), Arguments.of(Disk.FILES, seed)));
    }

    /** Runs {@code check}; on failure, names the seed and a one-line command that replays it. */
    static void check(long seed, Class<?> testClass, String testMethod, Check check) {
        try {
            check.run(random(seed));
        } catch (Exception | AssertionError e) {
            throw new AssertionError("seed " + seed + " failed; replay: mvn -B -o -pl pbft -am test"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest=" + testClass.getSimpleName() + "#" + testMethod
                    + " -D" + START_SEED_PROPERTY + "=" + seed + " -D" + SEEDS_PROPERTY + "=1", e);
        }
    }
}
