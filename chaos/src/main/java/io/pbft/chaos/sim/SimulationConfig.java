package io.pbft.chaos.sim;

import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.SlowPrimaryDefence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a simulation run depends on besides the code: with the same config (the seed
 * included) a run is repeated exactly. Every field can be given on the command line, so
 * {@link #replayArguments()} reproduces any run.
 *
 * @param f the number of faults tolerated; the cluster has 3f + 1 replicas
 * @param clients how many clients run a closed loop at the same time
 * @param requestsPerClient how many requests each client issues, one outstanding at a time
 * @param checkpointInterval K, small so that runs cross many checkpoints and watermark moves
 * @param windowSize L, a multiple of K and at least 2K
 * @param batchSize the most requests per pre-prepare
 * @param clientRetransmitMillis how long a client waits for f + 1 matching replies before it sends
 *     the request to all replicas; doubles on each retransmission up to 8 times this
 * @param deadlineMillis simulated time by which every client must have finished (liveness)
 * @param unverifiedPrePrepareProbability how often a backup cannot authenticate the requests in a
 *     pre-prepare delivered to it (in a real cluster: a faulty primary proposed a request whose MAC
 *     entry and signature both fail there), so the pre-prepare reaches its core as unverified and
 *     must be vouched for by 2f other backups
 * @param viewChangeTimeoutMillis how long a backup waits for a request it knows of before it votes
 *     its primary out (see {@link ReplicaConfig#viewChangeTimeoutMillis()})
 * @param behaviours the misbehaving replicas, at most f, by id: a spec from {@link Behaviours}
 *     (every other replica is honest)
 * @param slowPrimaryDefence when backups vote out a primary that orders far slower than recent ones
 *     (on by default, as in the library)
 * @param restarts replicas that crash and restart from their simulated disks, each staying correct;
 *     a replica's restarts must not overlap
 * @param settleMillis how long replicas run on after the last client finished, so that laggards
 *     catch up before the checks: a replica restarted late, or one that sits out of its peers'
 *     view and catches up by state transfer alone, may need longer than the default
 * @param pauses replicas whose processes stop for a while and resume with their memory, each
 *     staying correct
 * @param clockDrift how far replicas' clocks may run from true: each runs at a rate drawn from
 *     [1 - drift, 1 + drift] (0, the default, keeps them exact); no correctness may depend on
 *     synchronized clocks, and timeouts must still fire
 * @param byzantineClients clients beyond {@code clients} that misbehave, by spec: {@code flood}
 *     (requests as fast as it can, to every replica, waiting for nothing), {@code replay-old}
 *     (sends its old requests again with each new one), {@code two-ops} (signs two operations
 *     under each timestamp) or {@code malformed} (garbage, oversized and empty operations, and
 *     writes marked read-only); the honest clients must not notice
 * @param lulls spans of time in which no client starts an operation ({@link Lull}): the cluster
 *     falls quiet, and every client starts its next operation the moment the lull ends
 */
public record SimulationConfig(
        long seed,
        int f,
        int clients,
        int requestsPerClient,
        NetworkConfig network,
        int checkpointInterval,
        int windowSize,
        int batchSize,
        long clientRetransmitMillis,
        long deadlineMillis,
        double unverifiedPrePrepareProbability,
        long viewChangeTimeoutMillis,
        SortedMap<Integer, String> behaviours,
        SlowPrimaryDefence slowPrimaryDefence,
        List<Restart> restarts,
        long settleMillis,
        List<Pause> pauses,
        double clockDrift,
        List<String> byzantineClients,
        List<Lull> lulls) {

    public static final int DEFAULT_F = 1;
    public static final int DEFAULT_CLIENTS = 3;
    public static final int DEFAULT_REQUESTS_PER_CLIENT = 20;
    public static final int DEFAULT_CHECKPOINT_INTERVAL = 8;
    public static final int DEFAULT_WINDOW_SIZE = 32;
    public static final int DEFAULT_BATCH_SIZE = 8;
    public static final long DEFAULT_CLIENT_RETRANSMIT_MILLIS = 300;
    public static final long DEFAULT_DEADLINE_MILLIS = 120_000;
    public static final long DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS = 1_000;
    public static final long DEFAULT_SETTLE_MILLIS = 1_000;
    /** The command that replays a run; options follow it. */
    public static final String REPLAY_COMMAND = "scripts/pbft simulate";

    public SimulationConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(slowPrimaryDefence, "slowPrimaryDefence");
        require(f >= 0, "f must not be negative, was " + f);
        require(clients >= 0, "clients must not be negative, was " + clients);
        require(requestsPerClient >= 0, "requestsPerClient must not be negative, was " + requestsPerClient);
        require(clientRetransmitMillis >= 1, "clientRetransmitMillis must be at least 1, was "
                + clientRetransmitMillis);
        require(deadlineMillis >= 1, "deadlineMillis must be at least 1, was " + deadlineMillis);
        require(settleMillis >= 0, "settleMillis must not be negative, was " + settleMillis);
        require(unverifiedPrePrepareProbability >= 0 && unverifiedPrePrepareProbability <= 1,
                "unverifiedPrePrepareProbability must be in [0, 1], was " + unverifiedPrePrepareProbability);
        behaviours = Collections.unmodifiableSortedMap(new TreeMap<>(behaviours));
        require(behaviours.size() <= f, "at most f = " + f + " replicas may misbehave, not " + behaviours.size());
        for (Map.Entry<Integer, String> entry : behaviours.entrySet()) {
            require(entry.getKey() >= 0 && entry.getKey() < 3 * f + 1,
                    "behaviour for replica " + entry.getKey() + ", which is not in [0, " + (3 * f + 1) + ")");
            Behaviours.parse(entry.getValue()); // throws, naming what is wrong with the spec
        }
        restarts = List.copyOf(restarts);
        for (int i = 0; i < restarts.size(); i++) {
            Restart restart = restarts.get(i);
            require(restart.replica() >= 0 && restart.replica() < 3 * f + 1,
                    "restart of replica " + restart.replica() + ", which is not in [0, " + (3 * f + 1) + ")");
            for (Restart earlier : restarts.subList(0, i)) {
                require(!restart.overlaps(earlier),
                        "replica " + restart.replica() + " cannot crash at " + restart + " while down for " + earlier);
            }
        }
        pauses = List.copyOf(pauses);
        for (Pause pause : pauses) {
            require(pause.replica() >= 0 && pause.replica() < 3 * f + 1,
                    "pause of replica " + pause.replica() + ", which is not in [0, " + (3 * f + 1) + ")");
        }
        require(clockDrift >= 0 && clockDrift < 0.5, "clockDrift must be in [0, 0.5), was " + clockDrift);
        byzantineClients = List.copyOf(byzantineClients);
        byzantineClients.forEach(SimClient.Mode::of); // throws, naming the known ones
        lulls = List.copyOf(lulls);
        // Validates K, L, the batch size and the timeout the way every replica will.
        replicaConfig(3 * f + 1, 0, checkpointInterval, windowSize, batchSize, viewChangeTimeoutMillis);
    }

    /** The defaults with {@code seed}: a reliable network with 1..20 ms uniform delays. */
    public static SimulationConfig defaults(long seed) {
        return new SimulationConfig(seed, DEFAULT_F, DEFAULT_CLIENTS, DEFAULT_REQUESTS_PER_CLIENT,
                NetworkConfig.DEFAULT, DEFAULT_CHECKPOINT_INTERVAL, DEFAULT_WINDOW_SIZE, DEFAULT_BATCH_SIZE,
                DEFAULT_CLIENT_RETRANSMIT_MILLIS, DEFAULT_DEADLINE_MILLIS, 0.0, DEFAULT_VIEW_CHANGE_TIMEOUT_MILLIS,
                new TreeMap<>(), SlowPrimaryDefence.ON, List.of(), DEFAULT_SETTLE_MILLIS, List.of(), 0.0, List.of(),
                List.of());
    }

    public int replicaCount() {
        return 3 * f + 1;
    }

    /** The core's configuration for replica {@code id}: the library defaults with this run's K, L and batch size. */
    public ReplicaConfig replicaConfig(int id) {
        return replicaConfig(replicaCount(), id, checkpointInterval, windowSize, batchSize, viewChangeTimeoutMillis)
                .withSlowPrimaryDefence(slowPrimaryDefence);
    }

    /** The behaviour spec of replica {@code id}: {@code honest} unless this run makes it misbehave. */
    public String behaviourOf(int id) {
        return behaviours.getOrDefault(id, "honest");
    }

    private static ReplicaConfig replicaConfig(int n, int id, int checkpointInterval, int windowSize, int batchSize,
            long viewChangeTimeoutMillis) {
        // Every simulated core checks its invariants after every input: the simulator stops at the step that broke one.
        ReplicaConfig base = ReplicaConfig.defaults(n, id).withWindow(windowSize, checkpointInterval)
                .withInvariantChecks(true).withViewChangeTimeout(viewChangeTimeoutMillis);
        return base.withBatching(batchSize, base.batchDelayMillis(), Math.min(base.maxInFlightBatches(), windowSize));
    }

    public SimulationConfig withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public SimulationConfig withF(int newF) {
        return toBuilder().f(newF).build();
    }

    public SimulationConfig withWorkload(int newClients, int newRequestsPerClient) {
        return toBuilder().clients(newClients).requestsPerClient(newRequestsPerClient).build();
    }

    public SimulationConfig withNetwork(NetworkConfig newNetwork) {
        return toBuilder().network(newNetwork).build();
    }

    public SimulationConfig withProtocol(int newCheckpointInterval, int newWindowSize, int newBatchSize) {
        return toBuilder().checkpointInterval(newCheckpointInterval).windowSize(newWindowSize).batchSize(newBatchSize)
                .build();
    }

    public SimulationConfig withTimeouts(long newClientRetransmitMillis, long newDeadlineMillis) {
        return toBuilder().clientRetransmitMillis(newClientRetransmitMillis).deadlineMillis(newDeadlineMillis).build();
    }

    public SimulationConfig withUnverifiedPrePrepares(double probability) {
        return toBuilder().unverifiedPrePrepareProbability(probability).build();
    }

    public SimulationConfig withViewChangeTimeout(long millis) {
        return toBuilder().viewChangeTimeoutMillis(millis).build();
    }

    public SimulationConfig withSlowPrimaryDefence(SlowPrimaryDefence defence) {
        return toBuilder().slowPrimaryDefence(defence).build();
    }

    /** Makes replica {@code id} behave as {@code spec} says ({@link Behaviours}); {@code honest} resets it. */
    public SimulationConfig withBehaviour(int id, String spec) {
        SortedMap<Integer, String> changed = new TreeMap<>(behaviours);
        if (spec.trim().equalsIgnoreCase("honest")) {
            changed.remove(id);
        } else {
            changed.put(id, spec.trim());
        }
        return toBuilder().behaviours(changed).build();
    }

    /** Makes one more replica crash and restart, as {@code restart} says. */
    public SimulationConfig withRestart(Restart restart) {
        List<Restart> more = new ArrayList<>(restarts);
        more.add(restart);
        return toBuilder().restarts(more).build();
    }

    /** Makes one more replica pause, as {@code pause} says. */
    public SimulationConfig withPause(Pause pause) {
        List<Pause> more = new ArrayList<>(pauses);
        more.add(pause);
        return toBuilder().pauses(more).build();
    }

    public SimulationConfig withClockDrift(double drift) {
        return toBuilder().clockDrift(drift).build();
    }

    /** One more client, beyond the honest ones, that behaves as {@code spec} says ({@code flood}, {@code replay-old}, {@code two-ops}, {@code malformed}). */
    public SimulationConfig withByzantineClient(String spec) {
        List<String> more = new ArrayList<>(byzantineClients);
        more.add(spec.trim());
        return toBuilder().byzantineClients(more).build();
    }

    /** One more lull in the workload, as {@code lull} says. */
    public SimulationConfig withLull(Lull lull) {
        List<Lull> more = new ArrayList<>(lulls);
        more.add(lull);
        return toBuilder().lulls(more).build();
    }

    public SimulationConfig withSettle(long millis) {
        return toBuilder().settleMillis(millis).build();
    }

    /** A builder that starts from this config: the one place that lists every field, so a new field is added once. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.seed = seed;
        builder.f = f;
        builder.clients = clients;
        builder.requestsPerClient = requestsPerClient;
        builder.network = network;
        builder.checkpointInterval = checkpointInterval;
        builder.windowSize = windowSize;
        builder.batchSize = batchSize;
        builder.clientRetransmitMillis = clientRetransmitMillis;
        builder.deadlineMillis = deadlineMillis;
        builder.unverifiedPrePrepareProbability = unverifiedPrePrepareProbability;
        builder.viewChangeTimeoutMillis = viewChangeTimeoutMillis;
        builder.behaviours = behaviours;
        builder.slowPrimaryDefence = slowPrimaryDefence;
        builder.restarts = restarts;
        builder.settleMillis = settleMillis;
        builder.pauses = pauses;
        builder.clockDrift = clockDrift;
        builder.byzantineClients = byzantineClients;
        builder.lulls = lulls;
        return builder;
    }

    /** Changes some fields of a config; {@link #build} checks the result as the constructor does. */
    public static final class Builder {
        private long seed;
        private int f;
        private int clients;
        private int requestsPerClient;
        private NetworkConfig network;
        private int checkpointInterval;
        private int windowSize;
        private int batchSize;
        private long clientRetransmitMillis;
        private long deadlineMillis;
        private double unverifiedPrePrepareProbability;
        private long viewChangeTimeoutMillis;
        private SortedMap<Integer, String> behaviours;
        private SlowPrimaryDefence slowPrimaryDefence;
        private List<Restart> restarts;
        private long settleMillis;
        private List<Pause> pauses;
        private double clockDrift;
        private List<String> byzantineClients;
        private List<Lull> lulls;

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder f(int f) {
            this.f = f;
            return this;
        }

        public Builder clients(int clients) {
            this.clients = clients;
            return this;
        }

        public Builder requestsPerClient(int requestsPerClient) {
            this.requestsPerClient = requestsPerClient;
            return this;
        }

        public Builder network(NetworkConfig network) {
            this.network = network;
            return this;
        }

        public Builder checkpointInterval(int checkpointInterval) {
            this.checkpointInterval = checkpointInterval;
            return this;
        }

        public Builder windowSize(int windowSize) {
            this.windowSize = windowSize;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder clientRetransmitMillis(long clientRetransmitMillis) {
            this.clientRetransmitMillis = clientRetransmitMillis;
            return this;
        }

        public Builder deadlineMillis(long deadlineMillis) {
            this.deadlineMillis = deadlineMillis;
            return this;
        }

        public Builder unverifiedPrePrepareProbability(double unverifiedPrePrepareProbability) {
            this.unverifiedPrePrepareProbability = unverifiedPrePrepareProbability;
            return this;
        }

        public Builder viewChangeTimeoutMillis(long viewChangeTimeoutMillis) {
            this.viewChangeTimeoutMillis = viewChangeTimeoutMillis;
            return this;
        }

        public Builder behaviours(SortedMap<Integer, String> behaviours) {
            this.behaviours = behaviours;
            return this;
        }

        public Builder slowPrimaryDefence(SlowPrimaryDefence slowPrimaryDefence) {
            this.slowPrimaryDefence = slowPrimaryDefence;
            return this;
        }

        public Builder restarts(List<Restart> restarts) {
            this.restarts = restarts;
            return this;
        }

        public Builder settleMillis(long settleMillis) {
            this.settleMillis = settleMillis;
            return this;
        }

        public Builder pauses(List<Pause> pauses) {
            this.pauses = pauses;
            return this;
        }

        public Builder clockDrift(double clockDrift) {
            this.clockDrift = clockDrift;
            return this;
        }

        public Builder byzantineClients(List<String> byzantineClients) {
            this.byzantineClients = byzantineClients;
            return this;
        }

        public Builder lulls(List<Lull> lulls) {
            this.lulls = lulls;
            return this;
        }

        public SimulationConfig build() {
            return new SimulationConfig(seed, f, clients, requestsPerClient, network, checkpointInterval, windowSize,
                    batchSize, clientRetransmitMillis, deadlineMillis, unverifiedPrePrepareProbability,
                    viewChangeTimeoutMillis, behaviours, slowPrimaryDefence, restarts, settleMillis, pauses, clockDrift,
                    byzantineClients, lulls);
        }
    }

    /** The command-line options, other than the seed, that differ from the defaults. */
    public List<String> nonDefaultOptions() {
        SimulationConfig d = defaults(seed);
        NetworkConfig dn = d.network;
        List<String> options = new ArrayList<>();
        option(options, "-f", f, d.f);
        option(options, "--clients", clients, d.clients);
        option(options, "--requests", requestsPerClient, d.requestsPerClient);
        option(options, "--loss", network.lossProbability(), dn.lossProbability());
        option(options, "--duplicate", network.duplicateProbability(), dn.duplicateProbability());
        option(options, "--reorder", network.reorderProbability(), dn.reorderProbability());
        option(options, "--min-delay-ms", network.minDelayMillis(), dn.minDelayMillis());
        option(options, "--max-delay-ms", network.maxDelayMillis(), dn.maxDelayMillis());
        if (network.delayDistribution() != dn.delayDistribution()) {
            options.add("--delay " + network.delayDistribution().name().toLowerCase(Locale.ROOT));
        }
        option(options, "--checkpoint-interval", checkpointInterval, d.checkpointInterval);
        option(options, "--window", windowSize, d.windowSize);
        option(options, "--batch-size", batchSize, d.batchSize);
        option(options, "--client-timeout-ms", clientRetransmitMillis, d.clientRetransmitMillis);
        option(options, "--deadline-ms", deadlineMillis, d.deadlineMillis);
        option(options, "--settle-ms", settleMillis, d.settleMillis);
        option(options, "--unverified-pre-prepares", unverifiedPrePrepareProbability,
                d.unverifiedPrePrepareProbability);
        option(options, "--view-change-timeout-ms", viewChangeTimeoutMillis, d.viewChangeTimeoutMillis);
        option(options, "--slow-primary-factor", slowPrimaryDefence.factor(), d.slowPrimaryDefence.factor());
        option(options, "--slow-primary-floor-ms", slowPrimaryDefence.floorMillis(),
                d.slowPrimaryDefence.floorMillis());
        network.cuts().forEach(cut -> options.add("--cut " + cut));
        network.partitions().forEach(partition -> options.add("--partition " + partition));
        restarts.forEach(restart -> options.add("--restart " + restart));
        pauses.forEach(pause -> options.add("--pause " + pause));
        option(options, "--clock-drift", clockDrift, d.clockDrift);
        byzantineClients.forEach(spec -> options.add("--byzantine-client " + spec));
        lulls.forEach(lull -> options.add("--lull " + lull));
        behaviours.forEach((id, spec) -> options.add("--behaviour " + id + "=" + spec));
        return options;
    }

    /** {@code --seed S} followed by every non-default option: the arguments that replay this run. */
    public String replayArguments() {
        StringBuilder arguments = new StringBuilder("--seed ").append(seed);
        for (String option : nonDefaultOptions()) {
            arguments.append(' ').append(option);
        }
        return arguments.toString();
    }

    /** The one-line command that replays this run. */
    public String replayCommand() {
        return REPLAY_COMMAND + " " + replayArguments();
    }

    private static void option(List<String> options, String name, long value, long defaultValue) {
        if (value != defaultValue) {
            options.add(name + " " + value);
        }
    }

    private static void option(List<String> options, String name, double value, double defaultValue) {
        if (Double.compare(value, defaultValue) != 0) {
            options.add(name + " " + value);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
