package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pbft.chaos.cli.SimulateMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seed's printed replay command reproduces its run in a freshly started JVM, not only in this one
 * ({@link DeterminismTest}): what differs between two JVMs (hash codes, the salt of
 * {@code Set.of}/{@code Map.of}, locale, time zone, default charset, processor count,
 * environment) must not reach the run. The child runs {@link SimulateMain} with the seed's
 * {@link SimulationConfig#replayArguments()} and prints {@link SimulationResult#report()}; the test
 * compares the figures that tell runs apart (trace and history fingerprints, events, simulated
 * time, network counts, last executed per replica) for a readable failure, then the whole report.
 * It takes about a second: the child's start-up and one default-size seed.
 */
class ReplayInAnotherJvmTest {

    /** A storm in which a replica crashes and restarts from its simulated disk, whose crash draws too. */
    private static final SimulationConfig STORM = SimulationConfig.defaults(42)
            .withNetwork(SimulationProperties.STORMY).withRestart(new Restart(1, 400, 1_200));

    /** A default-size seed runs in well under a second plus the JVM's start-up; this is generous. */
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    /**
     * Flags that make the child JVM differ from this one wherever a hidden dependence on the JVM
     * could make a run diverge.
     *
     * <p>Hash order. {@code Set.of} and {@code Map.of} iterate from a salt that
     * {@code ImmutableCollections} draws from {@code System.nanoTime()} when the JVM starts (only
     * {@code -Xshare:dump} fixes it); no flag sets it, and every fresh JVM draws another one, which
     * is why this test needs a second JVM at all. The chance that both JVMs iterate a set alike
     * falls with its size (about one half for two elements). Identity hash codes (objects without
     * their own {@code hashCode}, and every enum) decide the order of a {@code HashMap} or
     * {@code HashSet} holding them, but HotSpot's default (mode 5: a per-thread xor-shift seeded the
     * same way in every JVM) gives the same codes to the same sequence of calls (a small program
     * prints the same identity hash codes on every start), so two JVMs could agree by accident. Mode 2, "for sensitivity testing", makes every identity hash code 1: such
     * maps then iterate in insertion order, not in this JVM's scattered order. (Hash maps of
     * strings, boxed numbers and records of them iterate alike in every JVM, and cannot be caught
     * this way.)
     *
     * <p>The rest: a locale with a decimal comma and a dotless i, a time zone 12:45 from UTC, a
     * default charset other than UTF-8, one processor (which also changes the garbage collector and
     * the common pool's parallelism), and, below, an environment without this JVM's variables.
     */
    static final List<String> CHILD_JVM_FLAGS = List.of(
            "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2",
            "-Duser.language=tr", "-Duser.country=TR",
            "-Duser.timezone=Pacific/Chatham",
            "-Dfile.encoding=ISO-8859-1",
            "-XX:ActiveProcessorCount=1");

    /** The variables the child keeps: those that decide how the JVM decodes file names such as the class path. */
    private static final List<String> CHILD_ENVIRONMENT = List.of("LANG", "LC_ALL", "LC_CTYPE");

    @Test
    void aReplayedSeedGivesTheSameRunInAFreshJvmThatDiffersInHashCodesLocaleAndEnvironment(@TempDir Path dir)
            throws IOException, InterruptedException {
        SimulationResult here = Simulation.run(STORM);

        String there = runInFreshJvm(dir, STORM.replayArguments(), here.passed() ? 0 : 1);

        assertThat(Figures.parse(there)).isEqualTo(Figures.of(here));
        assertThat(there).contains(here.report());
    }

    /** Runs {@code simulate} with {@code arguments} in a new JVM on this test's class path; returns its stdout. */
    private static String runInFreshJvm(Path dir, String arguments, int expectedExitCode)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHILD_JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SimulateMain.class.getName()));
        command.addAll(Arrays.asList(arguments.split(" ")));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().retainAll(CHILD_ENVIRONMENT);

        Process child = builder.start();
        boolean exited = child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // The child's default charset is ISO-8859-1 (see CHILD_JVM_FLAGS); the report is ASCII.
        String out = Files.readString(stdout, StandardCharsets.ISO_8859_1);
        String account = String.join(" ", command) + "\n--- stdout\n" + out + "--- stderr\n"
                + Files.readString(stderr, StandardCharsets.ISO_8859_1);
        if (!exited) {
            fail("the child JVM did not finish within %d s:%n%s", CHILD_TIMEOUT_SECONDS, account);
        }
        assertThat(child.exitValue()).as("exit code of%n%s", account).isEqualTo(expectedExitCode);
        return out;
    }

    /**
     * The figures of a single-seed report that tell whether two runs were the same run.
     *
     * @param traceDigest the fingerprint of every event's time, kind and target, in hex as printed
     * @param historyDigest the fingerprint of what was executed, checkpointed and returned, in hex
     */
    record Figures(long eventsProcessed, long simulatedMillis, String traceDigest, String historyDigest,
            NetworkStats network, List<Long> lastExecuted) {

        private static final Pattern EVENTS = Pattern.compile("^seed \\d+ \\w+ .* events (\\d+)$", Pattern.MULTILINE);
        private static final Pattern STOPPED =
                Pattern.compile("stopped: \\S+ at (\\d+) ms, trace ([0-9a-f]{16}), history ([0-9a-f]{16})");
        private static final Pattern MESSAGES =
                Pattern.compile("messages: sent (\\d+), dropped (\\d+), duplicated (\\d+)");
        /** Whatever the line says between the replica and its last executed: restarts, view changes. */
        private static final Pattern REPLICA = Pattern.compile("replica \\d+[^:\\n]*: view [^\\n]*?, last executed (\\d+),");

        static Figures of(SimulationResult result) {
            return new Figures(result.eventsProcessed(), result.simulatedMillis(), hex(result.traceDigest()),
                    hex(result.historyDigest()), result.network(), result.lastExecuted());
        }

        static Figures parse(String report) {
            Matcher events = find(EVENTS, report);
            Matcher stopped = find(STOPPED, report);
            Matcher messages = find(MESSAGES, report);
            List<Long> lastExecuted = new ArrayList<>();
            Matcher replica = REPLICA.matcher(report);
            while (replica.find()) {
                lastExecuted.add(Long.parseLong(replica.group(1)));
            }
            NetworkStats network = new NetworkStats(Long.parseLong(messages.group(1)),
                    Long.parseLong(messages.group(2)), Long.parseLong(messages.group(3)));
            return new Figures(Long.parseLong(events.group(1)), Long.parseLong(stopped.group(1)), stopped.group(2),
                    stopped.group(3), network, lastExecuted);
        }

        private static String hex(long digest) {
            return String.format(Locale.ROOT, "%016x", digest);
        }

        private static Matcher find(Pattern pattern, String report) {
            Matcher matcher = pattern.matcher(report);
            assertThat(matcher.find()).as("%s in%n%s", pattern, report).isTrue();
            return matcher;
        }
    }
}
