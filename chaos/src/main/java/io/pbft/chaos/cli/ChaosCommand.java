package io.pbft.chaos.cli;

import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.chaos.sim.NetworkConfig;
import io.pbft.chaos.sim.SimulationConfig;
import io.pbft.chaos.sim.SimulationResult;
import io.pbft.chaos.sim.Sweep;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft chaos}: sweeps the catalogue of Byzantine behaviours through the simulator and prints
 * a table of behaviour by outcome. Exits non-zero when any run failed.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Sweeps Byzantine behaviours through the deterministic simulator: for each behaviour, --seeds runs,"
                    + " each giving it to 1 to f replicas drawn from the seed (the primary among the candidates), on"
                    + " a lossy network, with every checker on. Prints a table of behaviour by outcome (runs, safety"
                    + " violations, liveness failures, seeds per second) and the replay command of every failure.",
        })
public final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seeds", defaultValue = "100", paramLabel = "N",
            description = "Runs per behaviour (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--start-seed", defaultValue = "1", paramLabel = "S",
            description = "The first seed of each behaviour's range (default: ${DEFAULT-VALUE}).")
    long startSeed;

    @Option(names = "--behaviours", defaultValue = "all", paramLabel = "SPECS",
            description = "'all' (the sweep catalogue: " + Behaviours.SWEEP_TEXT + ") or specs separated by"
                    + " commas, e.g. equivocate,silent@500 (default: ${DEFAULT-VALUE}).")
    String behaviourList;

    @Option(names = "-f", defaultValue = "1", description = "Faults tolerated; 3f+1 replicas (default: ${DEFAULT-VALUE}).")
    int f;

    @Option(names = "--loss", defaultValue = "0.05", paramLabel = "P",
            description = "Probability that a message is lost (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--duplicate", defaultValue = "0.05", paramLabel = "P",
            description = "Probability that a message arrives twice (default: ${DEFAULT-VALUE}).")
    double duplicate;

    @Option(names = "--reorder", defaultValue = "0.0", paramLabel = "P",
            description = "Probability that a message is held back for later ones to overtake (default: ${DEFAULT-VALUE}).")
    double reorder;

    @Option(names = "--faults", description = "Also draw network and process faults for each run from its seed: LAN or"
            + " WAN delays, loss, partitions (symmetric or one-way), a long pause, drifting clocks; the options"
            + " --loss, --duplicate and --reorder then give way to the drawn ones.")
    boolean faults;

    @Option(names = "--shrink", description = "For each failure, also print the smallest variant of it that still"
            + " fails alike (fewer faults, Byzantine replicas and clients, clients and requests) and its replay command.")
    boolean shrink;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, was " + seeds);
        }
        List<String> specs = behaviourList.trim().equalsIgnoreCase("all") ? Behaviours.SWEEP
                : List.of(behaviourList.split(","));
        SimulationConfig template;
        try {
            for (String behaviour : specs) {
                Behaviours.parse(behaviour); // a typo fails before an hour of sweeping, not after
            }
            template = SimulationConfig.defaults(startSeed).withF(f)
                    .withNetwork(NetworkConfig.DEFAULT.withLoss(loss).withDuplication(duplicate).withReordering(reorder));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<Sweep.Outcome> outcomes = new ArrayList<>();
        for (String behaviour : specs) {
            outcomes.add(Sweep.run(template, behaviour.trim(), faults, startSeed, seeds, result -> {
                if (!result.passed()) {
                    out.println("FAIL " + behaviour.trim() + ": " + result.summaryLine());
                    result.violations().forEach(violation -> out.println("  " + violation));
                    out.flush();
                }
            }));
        }
        printTable(outcomes, out, shrink);
        boolean failed = outcomes.stream().anyMatch(outcome -> !outcome.failures().isEmpty());
        return failed ? 1 : 0;
    }

    static void printTable(List<Sweep.Outcome> outcomes, PrintWriter out, boolean shrink) {
        String format = "%-22s %7s %7s %7s %9s %9s%n";
        out.printf(Locale.ROOT, format, "behaviour", "runs", "passed", "safety", "liveness", "seeds/s");
        int runs = 0;
        int passed = 0;
        int safety = 0;
        int liveness = 0;
        double seconds = 0;
        for (Sweep.Outcome outcome : outcomes) {
            out.printf(Locale.ROOT, format, outcome.behaviour(), outcome.runs(), outcome.passed(), outcome.safety(),
                    outcome.liveness(), String.format(Locale.ROOT, "%.1f", outcome.seedsPerSecond()));
            runs += outcome.runs();
            passed += outcome.passed();
            safety += outcome.safety();
            liveness += outcome.liveness();
            seconds += outcome.wallSeconds();
        }
        out.printf(Locale.ROOT, format, "all", runs, passed, safety, liveness,
                String.format(Locale.ROOT, "%.1f", runs / Math.max(seconds, 1e-9)));
        for (Sweep.Outcome outcome : outcomes) {
            for (SimulationResult failure : outcome.failures()) {
                out.println(shrink ? SimulateCommand.shrink(failure) : "replay: " + failure.replayCommand());
            }
        }
        out.flush();
    }
}
