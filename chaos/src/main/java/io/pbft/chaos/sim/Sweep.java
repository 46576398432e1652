package io.pbft.chaos.sim;

import io.pbft.chaos.check.LivenessChecker;
import io.pbft.chaos.check.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A sweep: one behaviour of the catalogue run over a range of seeds, each seed giving it to up to f
 * replicas it draws (the primary among them), on the template's network, with every checker on.
 * Outcomes are tallied apart, because they mean different things: a safety violation is a bug in
 * the protocol whatever the behaviour, a liveness failure may be a schedule too hostile for the
 * run's deadline, and either way the failing runs' replay commands say how to see it again.
 */
public final class Sweep {

    /**
     * What a behaviour's runs came to.
     *
     * @param safety runs that broke a safety check, or in which a core threw or broke its bounds
     * @param liveness runs whose only failure was that clients did not finish by the deadline
     * @param failures the failing runs, in seed order, for their replay commands
     */
    public record Outcome(String behaviour, int runs, int safety, int liveness, long events, double wallSeconds,
            List<SimulationResult> failures) {

        public Outcome {
            failures = List.copyOf(failures);
        }

        public int passed() {
            return runs - safety - liveness;
        }

        public double seedsPerSecond() {
            return runs / Math.max(wallSeconds, 1e-9);
        }
    }

    private Sweep() {}

    /**
     * Runs {@code spec} over {@code seeds} seeds from {@code startSeed}, with {@code faults} drawn for
     * each ({@link FaultSchedules}) or the template's network; {@code report} hears of each run as it ends (a long sweep shows progress and its failures at once).
     */
    public static Outcome run(SimulationConfig template, String spec, boolean faults, long startSeed, int seeds,
            java.util.function.Consumer<SimulationResult> report) {
        int safety = 0;
        int liveness = 0;
        long events = 0;
        List<SimulationResult> failures = new ArrayList<>();
        long startNanos = System.nanoTime();
        for (long seed = startSeed; seed < startSeed + seeds; seed++) {
            SimulationConfig config = assign(template.withSeed(seed), spec);
            SimulationResult result = Simulation.run(faults ? FaultSchedules.random(config) : config);
            events += result.eventsProcessed();
            if (!result.passed()) {
                failures.add(result);
                if (livenessOnly(result)) {
                    liveness++;
                } else {
                    safety++;
                }
            }
            report.accept(result);
        }
        return new Outcome(spec, seeds, safety, liveness, events, (System.nanoTime() - startNanos) / 1e9, failures);
    }

    /**
     * {@code config} with {@code spec} given to between 1 and f replicas drawn from its seed, so that
     * the replay command of the run (which names them) reproduces it without the sweep.
     */
    public static SimulationConfig assign(SimulationConfig config, String spec) {
        if (spec.trim().equalsIgnoreCase("honest")) {
            return config;
        }
        Random draw = new Random(config.seed() * 0x9E3779B97F4A7C15L + spec.hashCode());
        int n = config.replicaCount();
        int faulty = 1 + draw.nextInt(config.f());
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            ids.add(id);
        }
        java.util.Collections.shuffle(ids, draw);
        SimulationConfig assigned = config;
        for (int id : ids.subList(0, faulty)) {
            assigned = assigned.withBehaviour(id, spec);
        }
        return assigned;
    }

    /** Whether the run failed only because clients did not finish: no safety check broke. */
    static boolean livenessOnly(SimulationResult result) {
        if (result.violations().isEmpty()) {
            return false;
        }
        for (Violation violation : result.violations()) {
            if (!violation.checker().equals(LivenessChecker.NAME)) {
                return false;
            }
        }
        return true;
    }
}
