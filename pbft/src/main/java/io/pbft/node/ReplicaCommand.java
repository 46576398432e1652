package io.pbft.node;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ConfigException;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyFileException;
import io.pbft.core.MessageSigner;
import io.pbft.crypto.KeyIdentity;
import io.pbft.driver.OutboundFilter;
import io.pbft.metrics.Metrics;
import io.pbft.metrics.micrometer.PrometheusEndpoint;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.RocksKeyValueStateMachine;
import io.pbft.storage.CorruptLogException;
import io.pbft.storage.SyncPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replica}: runs one replica of a cluster, with the key-value store or the service named by
 * {@code --service}, until the process is stopped (SIGTERM closes the replica cleanly). Exit codes,
 * as for every command of {@code scripts/pbft}: 1 when it cannot run (a bad configuration or key
 * file, whose one-line message names the file and the field; a damaged data directory; a port in
 * use), 2 for a usage error (a command line picocli cannot parse, an option value out of range, a
 * {@code --service} class that cannot be used), 3 when the service threw from {@code execute} and
 * the replica stopped (the message names the sequence number).
 */
@Command(name = "replica", mixinStandardHelpOptions = true, description = "Run one replica of a cluster")
public final class ReplicaCommand implements Callable<Integer> {

    /** Cannot run: what to fix is in a file (config, key, data directory) or the machine (a port in use). */
    static final int EXIT_CANNOT_START = 1;
    /** The command line itself is wrong, as picocli reports a command line it cannot parse. */
    static final int EXIT_USAGE = 2;
    /** The service threw from {@code execute}: the replica stopped rather than diverge. */
    static final int EXIT_SERVICE_FAILED = 3;
    /** {@code --fault-control} without a port: the replica's client port plus {@link FaultControl#PORT_OFFSET}. */
    private static final int FAULT_CONTROL_BESIDE_CLIENT_PORT = -2;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The cluster configuration file.")
    Path configFile;

    @Option(names = "--id", required = true, paramLabel = "N", description = "This replica's id in the configuration.")
    int id;

    @Option(names = "--key", paramLabel = "FILE",
            description = "This replica's key file (default: <config dir>/keys/replica-<id>.key).")
    Path keyFile;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Netty I/O threads, which also verify signatures (default: half the cores, at least 1).")
    Integer ioThreads;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the replica's log and snapshots (in DIR/log) and its key-value store (RocksDB, in"
                    + " DIR/service) here, and recover from them when started again on the same directory. Without it"
                    + " the replica keeps everything in memory, and must not be restarted while its cluster runs.")
    Path dataDir;

    @Option(names = "--sync", paramLabel = "POLICY", defaultValue = "EVERY_BATCH",
            description = "With --data-dir: EVERY_BATCH forces each group of log records to the device before the"
                    + " messages that promised them leave (default); NONE only hands them to the operating system,"
                    + " which survives a killed process but not a crashed machine.")
    SyncPolicy sync;

    @Option(names = "--snapshot-every", paramLabel = "N", defaultValue = "" + ReplicaStorage.DEFAULT_SNAPSHOT_EVERY,
            description = "With --data-dir: snapshot the state every N sequence numbers (default: ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(names = "--service", paramLabel = "CLASS",
            description = "The service to replicate: a class on the class path that implements"
                    + " io.pbft.statemachine.StateMachine and has a public constructor without arguments"
                    + " (default: the key-value store). With --data-dir the library's snapshots keep its state.")
    String serviceClass;

    @Option(names = "--misbehave", paramLabel = "SPEC",
            description = "For adversarial tests only: make this replica Byzantine on purpose, as SPEC says (the chaos"
                    + " module's behaviours, e.g. equivocate, silent@5000, equivocate-votes, wrong-checkpoints,"
                    + " wrong-replies, wrong-state). Never in production.")
    String misbehave;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve this replica's metrics at http://<metrics host>:PORT/metrics in the Prometheus text"
                    + " format (0: any free port, printed when ready). Off unless given.")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "With --metrics-port: the address to serve metrics on (default: ${DEFAULT-VALUE}, this"
                    + " machine only).")
    String metricsHost;

    @Option(names = "--fault-control", paramLabel = "PORT", arity = "0..1",
            fallbackValue = "" + FAULT_CONTROL_BESIDE_CLIENT_PORT,
            description = "For tests only: take commands that drop, delay or cut what this replica sends to its peers"
                    + " (scripts/pbft fault) on PORT of 127.0.0.1 (default: the client port + "
                    + FaultControl.PORT_OFFSET + "). Without it there is no such port and no such fault.")
    Integer faultControl;

    /** The service the node runs, closed after it. */
    private StateMachine service;
    /** Where the node's metrics are served, or null; closed after the node. */
    private PrometheusEndpoint metricsEndpoint;

    public ReplicaCommand() {}

    /** A start-up failure with the message to print and the exit code to return. */
    static final class StartupException extends Exception {
        private final int exitCode;

        StartupException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplicaNode node;
        try {
            node = start();
        } catch (StartupException e) {
            err.println(e.getMessage());
            err.flush();
            return e.exitCode();
        }
        // In the command, not the library: an embedding application decides what its signals do.
        Thread hook = new Thread(() -> {
            node.close();
            closeAfterNode();
        }, "pbft-replica-" + id + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ReplicaEndpoint endpoint = node.config().replica(id);
        out.println("replica " + id + " ready: replicas " + endpoint.host() + ":" + node.replicaPort()
                + ", clients " + endpoint.host() + ":" + node.clientPort()
                + (metricsEndpoint == null ? "" : ", metrics http://" + metricsHost + ":" + metricsEndpoint.port()
                        + PrometheusEndpoint.PATH)
                + (node.faultControlPort() == ReplicaNode.NO_FAULT_CONTROL ? ""
                        : ", fault control 127.0.0.1:" + node.faultControlPort()));
        out.flush();
        try {
            node.awaitTermination();
        } catch (InterruptedException e) {
            // Embedded and interrupted rather than stopped by a signal: stop the node ourselves.
            Thread.currentThread().interrupt();
            removeHook(hook);
            node.close();
            closeAfterNode();
        }
        if (node.failure().isPresent()) {
            removeHook(hook);
            closeAfterNode();
            err.println(node.failure().get().getMessage());
            err.flush();
            return EXIT_SERVICE_FAILED;
        }
        return 0;
    }

    /** Loads and checks the configuration and the key, then starts the node. */
    ReplicaNode start() throws StartupException {
        ClusterConfig config;
        try {
            config = ClusterConfig.load(configFile);
        } catch (ConfigException e) {
            throw new StartupException(e.getMessage(), EXIT_CANNOT_START);
        }
        if (id < 0 || id >= config.replicaCount()) {
            throw new StartupException(configFile + ": --id " + id + " is not a replica of this cluster (replicas 0 to "
                    + (config.replicaCount() - 1) + ")", EXIT_CANNOT_START);
        }
        Path key = keyFile != null ? keyFile : defaultKeyFile(configFile, id);
        KeyIdentity identity;
        try {
            identity = KeyFile.read(key);
        } catch (KeyFileException e) {
            throw new StartupException(e.getMessage(), EXIT_CANNOT_START);
        }
        byte[] configured = config.replica(id).publicKey();
        if (!Arrays.equals(identity.key().publicKey(), configured)) {
            throw new StartupException(key + ": the public key of this key file ("
                    + HexFormat.of().formatHex(identity.key().publicKey()) + ", " + identity.role() + " "
                    + identity.id() + ") does not match field 'replica." + id + ".publicKey' of " + configFile + " ("
                    + HexFormat.of().formatHex(configured) + ")", EXIT_CANNOT_START);
        }
        int threads = ioThreads != null ? ioThreads : ReplicaNode.defaultIoThreads();
        if (threads < 1) {
            throw new StartupException("--io-threads must be at least 1, was " + threads, EXIT_USAGE);
        }
        if (snapshotEvery < 1) {
            throw new StartupException("--snapshot-every must be at least 1, was " + snapshotEvery, EXIT_USAGE);
        }
        ReplicaStorage storage = dataDir == null
                ? ReplicaStorage.IN_MEMORY
                : ReplicaStorage.in(dataDir).withSyncPolicy(sync).withSnapshotEvery(snapshotEvery);
        try {
            service = serviceClass != null ? newService(serviceClass)
                    : storage.isDurable() ? RocksKeyValueStateMachine.open(storage.serviceDirectory())
                    : new KeyValueStateMachine();
        } catch (UncheckedIOException e) {
            throw new StartupException("replica " + id + " cannot open its key-value store: " + e.getMessage(),
                    EXIT_CANNOT_START);
        }
        Function<MessageSigner, OutboundFilter> outbound = misbehaviour(config);
        Metrics metrics;
        int faultPort;
        try {
            faultPort = faultControlPort(config);
            metrics = startMetricsEndpoint();
        } catch (StartupException e) {
            closeService(service);
            throw e;
        }
        try {
            return ReplicaNode.start(config, id, identity.key(), service, metrics, threads, storage, outbound, faultPort);
        } catch (CorruptLogException e) {
            closeAfterNode();
            throw new StartupException("replica " + id + " cannot start: its data directory " + dataDir
                    + " is damaged: " + e.getMessage(), EXIT_CANNOT_START);
        } catch (IOException e) {
            closeAfterNode();
            // A port in use is most often this replica already running: say so, for that is what to check.
            String hint = e.getMessage() != null && e.getMessage().contains("in use")
                    ? " (is replica " + id + " already running? each replica runs once, in one process)"
                    : "";
            throw new StartupException("replica " + id + " cannot start: " + e.getMessage() + hint, EXIT_CANNOT_START);
        }
    }

    private int faultControlPort(ClusterConfig config) throws StartupException {
        if (faultControl == null) {
            return ReplicaNode.NO_FAULT_CONTROL;
        }
        int port = faultControl == FAULT_CONTROL_BESIDE_CLIENT_PORT
                ? config.replica(id).clientPort() + FaultControl.PORT_OFFSET : faultControl;
        if (port < 0 || port > 65_535) {
            throw new StartupException("--fault-control " + port + ": not a port (0 to 65535)", EXIT_USAGE);
        }
        return port;
    }

    /**
     * The filter of what this replica sends: the identity, or with {@code --misbehave} the one a
     * {@link Misbehaviour} on the class path makes for the spec.
     */
    private Function<MessageSigner, OutboundFilter> misbehaviour(ClusterConfig config) throws StartupException {
        if (misbehave == null) {
            return signer -> OutboundFilter.IDENTITY;
        }
        List<String> known = new ArrayList<>();
        for (Misbehaviour provider : ServiceLoader.load(Misbehaviour.class)) {
            try {
                if (provider.knows(misbehave)) {
                    LoggerFactory.getLogger(ReplicaCommand.class).warn(
                            "replica {} misbehaves on purpose: {} (--misbehave, for adversarial tests only)", id, misbehave);
                    return signer -> provider.filter(misbehave, id, config.replicaCount(), signer);
                }
            } catch (IllegalArgumentException e) {
                throw new StartupException("--misbehave " + misbehave + ": " + e.getMessage(), EXIT_USAGE);
            }
            known.add(provider.known());
        }
        throw new StartupException("--misbehave " + misbehave + ": no such behaviour"
                + (known.isEmpty() ? " (none on the class path: the chaos module provides them)"
                        : "; known: " + String.join(", ", known)), EXIT_USAGE);
    }

    /**
     * An instance of {@code className}, loaded by the context class loader (the application's class
     * path, where a service author's jar sits beside the library's).
     */
    static StateMachine newService(String className) throws StartupException {
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new StartupException("--service " + className + ": no such class on the class path (" + e + ")",
                    EXIT_USAGE);
        }
        if (!StateMachine.class.isAssignableFrom(type)) {
            throw new StartupException("--service " + className + " does not implement "
                    + StateMachine.class.getName(), EXIT_USAGE);
        }
        try {
            return (StateMachine) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new StartupException("--service " + className
                    + " needs a public constructor without arguments", EXIT_USAGE);
        } catch (InstantiationException e) {
            throw new StartupException("--service " + className + " is abstract", EXIT_USAGE);
        } catch (InvocationTargetException e) {
            throw new StartupException("--service " + className + ": its constructor threw "
                    + e.getCause(), EXIT_CANNOT_START);
        }
    }

    /** With {@code --metrics-port}, the Prometheus endpoint's metrics; else none. */
    private Metrics startMetricsEndpoint() throws StartupException {
        if (metricsPort == null) {
            return Metrics.NONE;
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new StartupException("--metrics-port must be from 0 to 65535, was " + metricsPort, EXIT_USAGE);
        }
        try {
            metricsEndpoint = PrometheusEndpoint.start(metricsHost, metricsPort);
        } catch (IOException e) {
            throw new StartupException("replica " + id + " " + e.getMessage()
                    + " (pick another --metrics-port)", EXIT_CANNOT_START);
        } catch (NoClassDefFoundError e) {
            throw new StartupException("--metrics-port needs io.micrometer:micrometer-registry-prometheus on the"
                    + " class path (" + e.getMessage() + ")", EXIT_USAGE);
        }
        return metricsEndpoint.metrics();
    }

    /** Where {@link #start} serves metrics, or null without {@code --metrics-port}. */
    PrometheusEndpoint metricsEndpoint() {
        return metricsEndpoint;
    }

    /** What outlives the node and goes after it: the service (its files) and the metrics endpoint. */
    void closeAfterNode() {
        closeService(service);
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
    }

    /** A service on disk is closed after its node (or if the node does not start): its files stay consistent. */
    private static void closeService(StateMachine service) {
        if (service instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing what failed to start: the next start recovers from what reached the disk
            }
        }
    }

    /** {@code <config dir>/keys/replica-<id>.key}. */
    static Path defaultKeyFile(Path configFile, int id) {
        Path directory = configFile.toAbsolutePath().getParent();
        return directory.resolve("keys").resolve("replica-" + id + ".key");
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook closes the node as well, and close is idempotent
        }
    }
}
