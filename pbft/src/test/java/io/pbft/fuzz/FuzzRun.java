package io.pbft.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The bounded, seeded half of the fuzzing (the other half is Jazzer's {@code @FuzzTest}, see
 * docs/fuzzing.md): a fixed number of generated inputs from one seed, handed to the same target a
 * {@code @FuzzTest} method fuzzes. A failure names the seed, the input's number and a one-line
 * replay command, and writes the input under {@code target/fuzz-failures/} so that it can be
 * copied into the target's Jazzer corpus as a regression input.
 *
 * <p>{@code -Dpbft.seed=S} fixes the seed; {@code -Dpbft.fuzz.inputs=N} sets how many inputs
 * each run tries (each test has its own default, sized for {@code mvn verify});
 * {@code -Dpbft.fuzz.dumpTo=DIR} also writes every input to DIR, to seed a Jazzer corpus with
 * structured inputs the fuzzer would take long to find (docs/fuzzing.md).
 */
public final class FuzzRun {

    public static final String SEED_PROPERTY = "pbft.seed";
    public static final String INPUTS_PROPERTY = "pbft.fuzz.inputs";
    public static final String DUMP_PROPERTY = "pbft.fuzz.dumpTo";

    /** Makes the next input from the run's random source. */
    @FunctionalInterface
    public interface Generator {
        byte[] next(Random random);
    }

    /** What is fuzzed: anything it throws is a failure. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Exception;
    }

    private FuzzRun() {}

    /**
     * Feeds {@code inputs} generated inputs to {@code target} (or {@code -Dpbft.fuzz.inputs});
     * returns how many it tried.
     */
    public static int run(Class<?> testClass, String testMethod, int inputs, Generator generator, Target target) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed != null ? Long.parseLong(fixed) : new SecureRandom().nextLong();
        int count = Integer.getInteger(INPUTS_PROPERTY, inputs);
        // Spread the seed: the first draws of new Random(seed) for neighbouring seeds are nearly alike.
        Random random = new Random(new SplittableRandom(seed).nextLong());
        for (int i = 0; i < count; i++) {
            byte[] input = generator.next(random);
            dump(testMethod, seed, i, input);
            try {
                target.accept(input);
            } catch (Exception | AssertionError | StackOverflowError | OutOfMemoryError e) {
                throw new AssertionError("input " + i + " of " + count + " failed with seed " + seed + " ("
                        + saved(testClass, testMethod, seed, i, input) + "); replay: mvn -B -o test -pl "
                        + module(testClass) + " -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest="
                        + testClass.getSimpleName() + "#" + testMethod + " -D" + SEED_PROPERTY + "=" + seed, e);
            }
        }
        return count;
    }

    private static void dump(String testMethod, long seed, int index, byte[] input) {
        String directory = System.getProperty(DUMP_PROPERTY);
        if (directory == null) {
            return;
        }
        try {
            Path file = Path.of(directory, testMethod + "-" + seed + "-" + index);
            Files.createDirectories(file.getParent());
            Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a fuzz input to " + directory, e);
        }
    }

    private static String module(Class<?> testClass) {
        String path = testClass.getProtectionDomain().getCodeSource().getLocation().getPath();
        Path module = Path.of(path).getParent().getParent();
        return module.getFileName().toString();
    }

    private static String saved(Class<?> testClass, String testMethod, long seed, int index, byte[] input) {
        Path file = Path.of("target", "fuzz-failures", testClass.getSimpleName() + "-" + testMethod + "-" + seed + "-"
                + index);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, input);
            return "input saved to " + file.toAbsolutePath();
        } catch (IOException e) {
            String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 256));
            return "input not saved (" + e.getMessage() + "), starts " + hex;
        }
    }
}
