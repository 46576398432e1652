package io.pbft.statemachine;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.TestInfo;

/**
 * A minimal property-test runner on plain JUnit: runs a check for many seeds, each seed driving
 * its own {@link SplittableRandom}, and on failure names the seed and a one-line command that
 * replays exactly that run.
 *
 * <p>Used instead of jqwik, whose 1.10 release asks not to be used by AI coding agents (see the
 * module pom). Fresh seeds each build explore new cases; {@code -Dpbft.seed=N} replays one.
 */
public final class SeededRuns {

    /** System property that pins the seed of a single run, for replaying a failure. */
    public static final String SEED_PROPERTY = "pbft.seed";

    private SeededRuns() {}

    /** Runs {@code property} for {@code tries} fresh seeds, or only for the seed in {@value #SEED_PROPERTY}. */
    public static void forEachSeed(TestInfo test, int tries, Consumer<SplittableRandom> property) {
        String pinned = System.getProperty(SEED_PROPERTY);
        if (pinned != null && !pinned.isBlank()) {
            runOne(test, Long.parseLong(pinned.trim()), property);
            return;
        }
        SplittableRandom seeds = new SplittableRandom();
        for (int i = 0; i < tries; i++) {
            runOne(test, seeds.nextLong(), property);
        }
    }

    private static void runOne(TestInfo test, long seed, Consumer<SplittableRandom> property) {
        try {
            property.accept(new SplittableRandom(seed));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("property failed for seed " + seed + "; replay: " + replayCommand(test, seed), e);
        }
    }

    static String replayCommand(TestInfo test, long seed) {
        String testClass = test.getTestClass().map(Class::getSimpleName).orElse("?");
        String method = test.getTestMethod().map(m -> m.getName()).orElse("?");
        return "mvn -B -q -pl statemachine test -Dtest=" + testClass + "#" + method + " -D" + SEED_PROPERTY + "=" + seed;
    }
}
