package io.pbft.chaos.cli;

import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.chaos.sim.Lull;
import io.pbft.chaos.sim.NetworkConfig;
import io.pbft.chaos.sim.NetworkConfig.DelayDistribution;
import io.pbft.chaos.sim.Partition;
import io.pbft.chaos.sim.Pause;
import io.pbft.chaos.sim.Restart;
import io.pbft.chaos.sim.Shrinker;
import io.pbft.chaos.sim.Simulation;
import io.pbft.chaos.sim.SimulationConfig;
import io.pbft.chaos.sim.SimulationResult;
import io.pbft.core.SlowPrimaryDefence;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft simulate}: runs the deterministic cluster simulation over a range of seeds, or
 * replays one seed with a detailed account. Exits non-zero when any seed fails.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs seeded deterministic simulations of a PBFT cluster (all replicas and clients in one thread,"
                    + " simulated network, clock and disks) and checks agreement, total order, exactly-once,"
                    + " checkpoint agreement, states, that no replica contradicts itself, linearizability and"
                    + " liveness.",
            "Each failing seed prints a replay command; --seed S replays one seed with a detailed report."
        })
public final class SimulateCommand implements Callable<Integer> {

    /** With more seeds than this, only failures and every this-many-th seed get a line. */
    static final int QUIET_ABOVE_SEEDS = 100;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--seeds",
            defaultValue = "100",
            paramLabel = "N",
            description = "How many seeds to run (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--start-seed",
            defaultValue = "1",
            paramLabel = "S",
            description = "The first seed of the range (default: ${DEFAULT-VALUE}).")
    long startSeed;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Replay this one seed and print a detailed report.")
    Long seed;

    @Option(
            names = "-f",
            defaultValue = "" + SimulationConfig.DEFAULT_F,
            description = "Faults tolerated; the cluster has 3f+1 replicas (default: ${DEFAULT-VALUE}).")
    int f;

    @Option(
            names = "--clients",
            defaultValue = "" + SimulationConfig.DEFAULT_CLIENTS,
            description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--requests",
            defaultValue = "" + SimulationConfig.DEFAULT_REQUESTS_PER_CLIENT,
            description = "Requests per client, one outstanding at a time (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--loss",
            defaultValue = "0.0",
            paramLabel = "P",
            description = "Probability that a message is lost (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(
            names = "--duplicate",
            defaultValue = "0.0",
            paramLabel = "P",
            description = "Probability that a message arrives twice (default: ${DEFAULT-VALUE}).")
    double duplicate;

    @Option(
            names = "--reorder",
            defaultValue = "0.0",
            paramLabel = "P",
            description = "Probability that a message is held back so that later ones overtake it"
                    + " (default: ${DEFAULT-VALUE}).")
    double reorder;

    @Option(
            names = "--unverified-pre-prepares",
            defaultValue = "0.0",
            paramLabel = "P",
            description = "Probability that a backup cannot authenticate the requests of a pre-prepare it"
                    + " receives, as when it has no session with the client yet (default: ${DEFAULT-VALUE}).")
    double unverifiedPrePrepares;

    @Option(
            names = "--min-delay-ms",
            defaultValue = "1",
            description = "Smallest network delay (default: ${DEFAULT-VALUE}).")
    long minDelayMillis;

    @Option(
            names = "--max-delay-ms",
            defaultValue = "20",
            description = "Largest network delay (default: ${DEFAULT-VALUE}).")
    long maxDelayMillis;

    @Option(
            names = "--delay",
            defaultValue = "uniform",
            paramLabel = "uniform|exponential",
            converter = DelayConverter.class,
            description = "How delays spread between min and max (default: ${DEFAULT-VALUE}).")
    DelayDistribution delay;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "" + SimulationConfig.DEFAULT_CHECKPOINT_INTERVAL,
            paramLabel = "K",
            description = "Checkpoint every K sequence numbers (default: ${DEFAULT-VALUE}).")
    int checkpointInterval;

    @Option(
            names = "--window",
            defaultValue = "" + SimulationConfig.DEFAULT_WINDOW_SIZE,
            paramLabel = "L",
            description = "Watermark window, a multiple of K, at least 2K (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(
            names = "--batch-size",
            defaultValue = "" + SimulationConfig.DEFAULT_BATCH_SIZE,
            description = "Most requests per pre-prepare (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--client-timeout-ms",
            defaultValue = "" + SimulationConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS,
            description = "Client retransmission timeout, doubling up to 8x (default: ${DEFAULT-VALUE}).")
    long clientTimeoutMillis;

    @Option(
            names = "--deadline-ms",
            defaultValue = "" + SimulationConfig.DEFAULT_DEADLINE_MILLIS,
            description = "Simulated time by which every client must finish (default: ${DEFAULT-VALUE}).")
    long deadlineMillis;

    @Option(
            names = "--settle-ms",
            defaultValue = "" + SimulationConfig.DEFAULT_SETTLE_MILLIS,
            description = "How long replicas run on after the last client finished, so that laggards catch up"
                    + " before the checks (default: ${DEFAULT-VALUE}).")
    long settleMillis;

    @Option(
            names = "--view-change-timeout-ms",
            defaultValue = "" + SimulationConfig.DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS,
            description = "How long a backup waits for a request before it votes its primary out"
                    + " (default: ${DEFAULT-VALUE}).")
    long viewChangeTimeoutMillis;

    @Option(
            names = "--slow-primary-factor",
            description = "Backups vote out a primary that orders this many times slower than recent ones;"
                    + " 0 turns the defence off (default: ${DEFAULT-VALUE}).")
    int slowPrimaryFactor = SlowPrimaryDefence.ON.factor();

    @Option(
            names = "--slow-primary-floor-ms",
            description = "The least ordering delay the slow-primary defence counts as normal"
                    + " (default: ${DEFAULT-VALUE}).")
    long slowPrimaryFloorMillis = SlowPrimaryDefence.DEFAULT_FLOOR_MILLIS;

    @Option(
            names = "--cut",
            paramLabel = "R@FROM-UNTIL",
            description = "Cut replica R off from everyone from FROM until UNTIL ms of simulated time, e.g. 3@500-6000"
                    + " (repeatable).")
    List<String> cuts = new ArrayList<>();

    @Option(
            names = "--partition",
            paramLabel = "R[,R...]@FROM-UNTIL[:one-way]",
            description = "From FROM until UNTIL ms, the replicas named and the others do not hear each other, e.g."
                    + " 0,1@500-3000 (a split in halves) or 0@500-3000 (the primary isolated); with :one-way only"
                    + " what the named replicas send is lost (repeatable). Clients reach every replica.")
    List<String> partitions = new ArrayList<>();

    @Option(
            names = "--pause",
            paramLabel = "R@FROM-UNTIL",
            description = "Stop replica R's process from FROM until UNTIL ms, as a stop-the-world GC or SIGSTOP would:"
                    + " it keeps its memory, its timers wait, and messages to it queue until it resumes (repeatable).")
    List<String> pauses = new ArrayList<>();

    @Option(
            names = "--byzantine-client",
            paramLabel = "SPEC",
            description = "One more client that misbehaves (repeatable): flood (requests as fast as it can, to every"
                    + " replica, waiting for nothing), replay-old (sends its old requests again with each new one),"
                    + " two-ops (signs two different operations under each timestamp, both to the primary, one or the"
                    + " other to each backup) or malformed (bytes that are no operation, operations larger than a batch,"
                    + " empty ones, writes marked read-only)."
                    + " The honest clients must still finish, and every check hold.")
    List<String> byzantineClients = new ArrayList<>();

    @Option(
            names = "--clock-drift",
            paramLabel = "D",
            description = "Each replica's clock runs at a rate drawn from [1 - D, 1 + D], D < 0.5 (default: 0, exact).")
    double clockDrift;

    @Option(
            names = "--restart",
            paramLabel = "R@CRASH-RESTART",
            description = "Crash replica R at CRASH ms and restart it at RESTART ms from its simulated disk, e.g."
                    + " 0@800-1500 (repeatable): it loses its memory and any write not synced, messages to it are"
                    + " lost meanwhile, and it comes back with a fresh core and service recovered from its snapshot"
                    + " and log. The seed decides whether the crash strikes between two inputs or while the"
                    + " replica logs an input's records, before that input's messages leave. It stays correct.")
    List<String> restarts = new ArrayList<>();

    @Option(
            names = "--lull",
            paramLabel = "FROM-UNTIL",
            description = "No client starts an operation from FROM until UNTIL ms, e.g. 1500-3000 (repeatable): what is"
                    + " under way finishes, the cluster falls quiet, and every client starts its next operation at"
                    + " UNTIL. With --restart of every replica inside it, reads meet a cluster just back from a"
                    + " power cut.")
    List<String> lulls = new ArrayList<>();

    @Option(
            names = "--behaviour",
            paramLabel = "ID=SPEC",
            description = "Make replica ID misbehave (at most f of them), e.g. 0=silent@500 or 2=equivocate."
                    + " Specs: " + Behaviours.NAMES + ".")
    Map<Integer, String> behaviours = new TreeMap<>();

    @Option(
            names = "--shrink",
            description = "For each failing seed, replay ever smaller variants of it (fewer faults, Byzantine replicas"
                    + " and clients, clients and requests) and print the smallest that still fails alike, with its"
                    + " replay command beside the original's.")
    boolean shrink;

    /**
     * The config that replay arguments describe ({@link SimulationConfig#replayArguments()}), as this
     * command would run it: the inverse of the replay command, for the {@link Shrinker}.
     *
     * @throws IllegalArgumentException if they describe no valid config
     */
    public static SimulationConfig fromArguments(String arguments) {
        SimulateCommand command = new SimulateCommand();
        try {
            new CommandLine(command).parseArgs(arguments.trim().split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return command.config(command.seed == null ? command.startSeed : command.seed);
    }

    /** The smallest variant of {@code failure} that fails alike, as the lines to print. */
    public static String shrink(SimulationResult failure) {
        return new Shrinker(SimulateCommand::fromArguments, Shrinker.DEFAULT_MAX_REPLAYS)
                .shrink(failure.config(), Shrinker.failsAlike(failure)).describe();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SimulationConfig template;
        try {
            template = config(seed == null ? startSeed : seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (seed != null) {
            SimulationResult result = Simulation.run(template);
            out.print(result.report());
            if (shrink && !result.passed()) {
                out.println(shrink(result));
            }
            out.flush();
            return result.passed() ? 0 : 1;
        }
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, was " + seeds);
        }
        return runRange(template, out);
    }

    private int runRange(SimulationConfig template, PrintWriter out) {
        List<SimulationResult> failures = new ArrayList<>();
        long events = 0;
        long startNanos = System.nanoTime();
        for (int i = 0; i < seeds; i++) {
            SimulationResult result = Simulation.run(template.withSeed(startSeed + i));
            events += result.eventsProcessed();
            if (!result.passed()) {
                failures.add(result);
            }
            if (seeds <= QUIET_ABOVE_SEEDS || !result.passed() || (i + 1) % QUIET_ABOVE_SEEDS == 0) {
                out.println(result.summaryLine());
                result.violations().forEach(violation -> out.println("  " + violation));
            }
            out.flush();
        }
        double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        out.printf(Locale.ROOT, "%d seeds (%d..%d): %d passed, %d failed; %d events; %.2f s wall, %.1f seeds/s%n",
                seeds, startSeed, startSeed + seeds - 1, seeds - failures.size(), failures.size(), events,
                wallSeconds, seeds / Math.max(wallSeconds, 1e-9));
        for (SimulationResult failure : failures) {
            out.println(shrink ? shrink(failure) : "replay: " + failure.replayCommand());
        }
        out.flush();
        return failures.isEmpty() ? 0 : 1;
    }

    /** The run configuration the options describe, with {@code runSeed}. */
    SimulationConfig config(long runSeed) {
        NetworkConfig network = new NetworkConfig(minDelayMillis, maxDelayMillis, delay, loss, duplicate, reorder);
        for (String cut : cuts) {
            network = network.withCut(NetworkConfig.Cut.parse(cut));
        }
        for (String partition : partitions) {
            network = network.withPartition(Partition.parse(partition));
        }
        SimulationConfig config = SimulationConfig.defaults(runSeed)
                .withF(f)
                .withWorkload(clients, requests)
                .withNetwork(network)
                .withProtocol(checkpointInterval, window, batchSize)
                .withTimeouts(clientTimeoutMillis, deadlineMillis)
                .withSettle(settleMillis)
                .withUnverifiedPrePrepares(unverifiedPrePrepares)
                .withViewChangeTimeout(viewChangeTimeoutMillis)
                .withSlowPrimaryDefence(new SlowPrimaryDefence(slowPrimaryFactor, slowPrimaryFloorMillis));
        for (Map.Entry<Integer, String> behaviour : behaviours.entrySet()) {
            config = config.withBehaviour(behaviour.getKey(), behaviour.getValue());
        }
        for (String restart : restarts) {
            config = config.withRestart(Restart.parse(restart));
        }
        for (String pause : pauses) {
            config = config.withPause(Pause.parse(pause));
        }
        for (String client : byzantineClients) {
            config = config.withByzantineClient(client);
        }
        for (String lull : lulls) {
            config = config.withLull(Lull.parse(lull));
        }
        return config.withClockDrift(clockDrift);
    }

    /** Accepts the distribution names in any case. */
    static final class DelayConverter implements picocli.CommandLine.ITypeConverter<DelayDistribution> {
        @Override
        public DelayDistribution convert(String value) {
            return DelayDistribution.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }
}
