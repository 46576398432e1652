package io.pbft.chaos.sim;

import io.pbft.chaos.check.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reduces a failing run to a smaller one that still fails: greedy delta debugging over the run's
 * replay options. Each candidate drops one fault from the schedule (a cut, partition, pause,
 * restart, Byzantine replica or client, loss, duplication, reordering, drift), or has fewer replicas,
 * clients or requests per client, or drops any other option back to its default; the first
 * candidate that still fails becomes the run to reduce further, until none does or the replays run
 * out. Every candidate is built from its own replay arguments, so what is reported is exactly what
 * was replayed, and each replay is deterministic: the same config fails the same way every time.
 */
public final class Shrinker {

    /** Enough for a schedule of a dozen faults to lose all but one, with the workload cut down too. */
    public static final int DEFAULT_MAX_REPLAYS = 200;

    /** Options naming a fault: dropped first, one at a time. */
    private static final Set<String> FAULTS = Set.of("--cut", "--partition", "--pause", "--restart",
            "--byzantine-client", "--behaviour", "--loss", "--duplicate", "--reorder", "--clock-drift",
            "--unverified-pre-prepares");
    /** Options whose default is larger than the smallest useful value: cut down, never dropped. */
    private static final List<String> COUNTS = List.of("-f", "--clients", "--requests");

    /**
     * What shrinking came to.
     *
     * @param original the failing run's config
     * @param smallest the smallest config found that fails alike ({@code original} if none smaller does)
     * @param replays how many candidates were replayed
     * @param reproduced whether the original failed alike when replayed (if not, nothing was tried)
     */
    public record Shrunk(SimulationConfig original, SimulationConfig smallest, int replays, boolean reproduced) {

        /** The original's replay command and the smallest's beside it, one line each. */
        public String describe() {
            StringBuilder text = new StringBuilder("replay:   ").append(original.replayCommand()).append('\n');
            if (!reproduced) {
                return text.append("shrunk:   not shrunk: the replay does not fail alike").toString();
            }
            return text.append("smallest: ").append(smallest.replayCommand()).append(" (")
                    .append(original.nonDefaultOptions().size()).append(" options to ")
                    .append(smallest.nonDefaultOptions().size()).append(", ").append(replays).append(" replays)")
                    .toString();
        }
    }

    private final Function<String, SimulationConfig> fromArguments;
    private final int maxReplays;

    /**
     * @param fromArguments the config that replay arguments ({@link SimulationConfig#replayArguments()})
     *     describe; throws on arguments that describe no valid config
     * @param maxReplays the most candidates to replay
     */
    public Shrinker(Function<String, SimulationConfig> fromArguments, int maxReplays) {
        this.fromArguments = fromArguments;
        this.maxReplays = maxReplays;
    }

    /**
     * Whether a config's default run fails alike {@code failure}: it breaks at least one of the
     * checkers that the failure broke (so that shrinking a safety violation does not drift into a
     * mere liveness failure).
     */
    public static Predicate<SimulationConfig> failsAlike(SimulationResult failure) {
        Set<String> checkers = checkers(failure.violations());
        return config -> {
            Set<String> broken = checkers(Simulation.run(config).violations());
            broken.retainAll(checkers);
            return !broken.isEmpty();
        };
    }

    /** The names of the checkers that {@code violations} come from. */
    static Set<String> checkers(List<Violation> violations) {
        Set<String> names = new TreeSet<>();
        violations.forEach(violation -> names.add(violation.checker()));
        return names;
    }

    /** The smallest config found, from {@code failing}, for which {@code fails} holds. */
    public Shrunk shrink(SimulationConfig failing, Predicate<SimulationConfig> fails) {
        if (!fails.test(failing)) {
            return new Shrunk(failing, failing, 1, false);
        }
        int replays = 1;
        SimulationConfig smallest = failing;
        boolean reduced = true;
        while (reduced && replays < maxReplays) {
            reduced = false;
            for (List<String> candidate : candidates(smallest)) {
                SimulationConfig config = parse(smallest.seed(), candidate);
                if (config == null || config.equals(smallest)) {
                    continue;
                }
                if (replays++ >= maxReplays) {
                    break;
                }
                if (fails.test(config)) {
                    smallest = config;
                    reduced = true;
                    break;
                }
            }
        }
        return new Shrunk(failing, smallest, replays, true);
    }

    /** The options of each smaller config to try, the faults first, then the counts, then the rest. */
    static List<List<String>> candidates(SimulationConfig config) {
        List<String> options = config.nonDefaultOptions();
        List<List<String>> candidates = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            if (FAULTS.contains(name(options.get(i)))) {
                candidates.add(without(options, i));
            }
        }
        reduce(candidates, options, "-f", config.f(), 1);
        reduce(candidates, options, "--clients", config.clients(), 1);
        reduce(candidates, options, "--requests", config.requestsPerClient(), 1);
        for (int i = 0; i < options.size(); i++) {
            String name = name(options.get(i));
            if (!FAULTS.contains(name) && !COUNTS.contains(name)) {
                candidates.add(without(options, i));
            }
        }
        return candidates;
    }

    /** Candidates with {@code name} at the least, half and one less than {@code value}, never below {@code least}. */
    private static void reduce(List<List<String>> candidates, List<String> options, String name, int value,
            int least) {
        Set<Integer> smaller = new TreeSet<>(List.of(least, value / 2, value - 1));
        for (int to : smaller) {
            if (to >= least && to < value) {
                List<String> changed = new ArrayList<>();
                options.forEach(option -> {
                    if (!name(option).equals(name)) {
                        changed.add(option);
                    }
                });
                changed.add(0, name + " " + to);
                candidates.add(changed);
            }
        }
    }

    private static List<String> without(List<String> options, int index) {
        List<String> fewer = new ArrayList<>(options);
        fewer.remove(index);
        return fewer;
    }

    private static String name(String option) {
        int space = option.indexOf(' ');
        return space < 0 ? option : option.substring(0, space);
    }

    /** The config the options describe with {@code seed}, or null if they describe none (an id beyond a smaller cluster). */
    private SimulationConfig parse(long seed, List<String> options) {
        StringBuilder arguments = new StringBuilder("--seed ").append(seed);
        options.forEach(option -> arguments.append(' ').append(option));
        try {
            return fromArguments.apply(arguments.toString());
        } catch (RuntimeException invalid) {
            return null;
        }
    }
}
