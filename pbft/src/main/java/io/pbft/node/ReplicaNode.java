package io.pbft.node;

import com.sun.management.UnixOperatingSystemMXBean;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.MessageSigner;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.Replica;
import io.pbft.core.message.Request;
import io.pbft.crypto.SigningKey;
import io.pbft.driver.ClientRequestCheck;
import io.pbft.driver.Ed25519ReplicaKeys;
import io.pbft.driver.Durability;
import io.pbft.driver.EffectsCarrier;
import io.pbft.driver.Evidence;
import io.pbft.driver.Envelopes;
import io.pbft.driver.InboundPipeline;
import io.pbft.driver.OutboundFilter;
import io.pbft.driver.OutboundPipeline;
import io.pbft.driver.PreparedSlots;
import io.pbft.driver.ReplicaKeys;
import io.pbft.driver.ReplicaStore;
import io.pbft.driver.RequestCheck;
import io.pbft.driver.VerifiedSignatures;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.driver.state.StateTransfer;
import io.pbft.driver.state.StateTransferLimits;
import io.pbft.execution.ServiceFailedException;
import io.pbft.execution.StateMachineExecutor;
import io.pbft.metrics.Metrics;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateMachine;
import io.pbft.storage.LogOptions;
import io.pbft.storage.NioLogStorage;
import io.pbft.transport.Listener;
import io.pbft.transport.ListenerLimits;
import io.pbft.transport.Transport;
import io.pbft.transport.TransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running replica: the protocol core on its own thread, driven by Netty connections to the
 * other replicas and to clients.
 *
 * <pre>{@code
 * ClusterConfig config = ClusterConfig.load(Path.of("cluster.properties"));
 * SigningKey key = KeyFile.read(Path.of("keys/replica-0.key")).key();
 * ReplicaNode node = ReplicaNode.start(config, 0, key, new KeyValueStateMachine());
 * Runtime.getRuntime().addShutdownHook(new Thread(node::close)); // SIGTERM stops it cleanly
 * node.awaitTermination(); // serves until closed
 * }</pre>
 *
 * <p>It listens on its replica port (frames are {@code ReplicaEnvelope}s) and its client port
 * ({@code ClientFrame} in, {@code ReplicaFrame} out), and keeps one outbound connection to every
 * other replica's replica port: messages to replica j go on our connection to j, messages from j
 * arrive on our listener. See the package documentation for what is checked where.
 */
public final class ReplicaNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaNode.class);

    /** Clients whose session keys are kept after they disconnect; least recently used go first. */
    static final int MAX_CLIENT_SESSIONS = 100_000;
    /** Descriptors for what is not a client's or a stranger's connection: peers, files, the JVM. */
    static final int OTHER_DESCRIPTORS = 1_024;
    /** Segments small enough that truncation at stable checkpoints keeps the log near the window's size. */
    private static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    /** The in-memory services snapshot whole: room for a state the heap holds comfortably anyway. */
    private static final int MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;
    /** The {@code faultControlPort} of a replica without one, whose links no one can fault. */
    public static final int NO_FAULT_CONTROL = -1;

    private final ClusterConfig config;
    private final int id;
    private final NodeMetrics metrics;
    /** What peers were caught signing against themselves: kept, counted, logged once, reported by status. */
    private final Evidence evidence;
    /** What the replica sends passes through this: the identity, unless it misbehaves on purpose. */
    private final OutboundFilter outboundFilter;
    private final CoreLoop core;
    private final Transport transport;
    /** The replica's disk, or null when it keeps nothing. */
    private final ReplicaStore store;
    private volatile int replicaPort;
    private volatile int clientPort;
    /** The bound fault-control port, or none. */
    private volatile int faultControlPort = NO_FAULT_CONTROL;
    private volatile boolean closed;
    /** Counted down once {@link #close} has released everything: what {@link #awaitTermination} waits on. */
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Why the replica stopped on its own, or null. */
    private volatile ServiceFailedException failure;

    private ReplicaNode(ClusterConfig config, int id, NodeMetrics metrics, Evidence evidence, CoreLoop core,
            Transport transport, ReplicaStore store, OutboundFilter outboundFilter) {
        this.store = store;
        this.outboundFilter = outboundFilter;
        this.evidence = evidence;
        this.config = config;
        this.id = id;
        this.metrics = metrics;
        this.core = core;
        this.transport = transport;
    }

    /**
     * Starts replica {@code replicaId}, its meters reported nowhere ({@link Metrics#NONE}); {@link
     * #metrics()} still reads them.
     */
    public static ReplicaNode start(ClusterConfig config, int replicaId, SigningKey key, StateMachine stateMachine)
            throws IOException {
        return start(config, replicaId, key, stateMachine, Metrics.NONE);
    }

    /**
     * Starts replica {@code replicaId}: binds its replica and client ports and starts connecting to
     * its peers. Returns once both ports are bound. Its meters are reported to {@code exportTo}
     * (a {@link io.pbft.metrics.micrometer.MicrometerMetrics}, for instance) until it closes.
     *
     * @throws IllegalArgumentException if the id is not in the configuration or {@code key} is not
     *     the key configured for it
     * @throws IOException if a port cannot be bound
     */
    public static ReplicaNode start(ClusterConfig config, int replicaId, SigningKey key, StateMachine stateMachine,
            Metrics exportTo) throws IOException {
        return start(config, replicaId, key, stateMachine, exportTo, defaultIoThreads());
    }

    /**
     * Half the cores, at least one: the I/O threads verify signatures, and the other half is left
     * to the core thread, the garbage collector and the JIT. On a machine that runs several
     * replicas (a local cluster) fewer threads contend less: on 2 cores with 4 replicas, one I/O
     * thread each measured 1,660 ops/s against 1,160 with two.
     */
    public static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** As {@link #start(ClusterConfig, int, SigningKey, StateMachine, Metrics)}, with {@code ioThreads} Netty I/O threads. */
    public static ReplicaNode start(ClusterConfig config, int replicaId, SigningKey key, StateMachine stateMachine,
            Metrics exportTo, int ioThreads) throws IOException {
        return start(config, replicaId, key, stateMachine, exportTo, ioThreads, ReplicaStorage.IN_MEMORY);
    }

    /**
     * As {@link #start(ClusterConfig, int, SigningKey, StateMachine, Metrics, int)}, keeping
     * its log and snapshots in {@code storage}. A replica started on the data directory of one that
     * stopped (or was killed) recovers from it: it restores its state as of its last snapshot, comes
     * back in its view holding everything it promised, and catches up from its peers.
     *
     * @throws io.pbft.storage.CorruptLogException if the data directory holds damage a crash cannot
     *     explain: the message names the file and offset
     */
    public static ReplicaNode start(ClusterConfig config, int replicaId, SigningKey key, StateMachine stateMachine,
            Metrics exportTo, int ioThreads, ReplicaStorage storage) throws IOException {
        return start(config, replicaId, key, stateMachine, exportTo, ioThreads, storage, signer -> OutboundFilter.IDENTITY);
    }

    /**
     * As {@link #start(ClusterConfig, int, SigningKey, StateMachine, Metrics, int, ReplicaStorage)},
     * with what the replica sends passed through the filter {@code outbound} makes from its signer:
     * a replica that misbehaves on purpose, for adversarial tests of a live cluster ({@link
     * Misbehaviour}). Never for production: the filter can make the replica Byzantine.
     */
    public static ReplicaNode start(ClusterConfig config, int replicaId, SigningKey key, StateMachine stateMachine,
            Metrics exportTo, int ioThreads, ReplicaStorage storage,
            Function<MessageSigner, OutboundFilter> outbound) throws IOException {
        return start(config, replicaId, key, stateMachine, exportTo, ioThreads, storage, outbound, NO_FAULT_CONTROL);
    }

    /**
     * As {@link #start(ClusterConfig, int, SigningKey, StateMachine, Metrics, int, ReplicaStorage,
     * Function)}, listening on {@code faultControlPort} of the loopback address (0: a free one, see
     * {@link #faultControlPort()}) for commands that drop, delay or cut what it sends to its peers
     * ({@link FaultControl}); {@link #NO_FAULT_CONTROL} for none. For tests of a live cluster only.
     */
    public static ReplicaNode start(ClusterConfig config, int replicaId, SigningKey key, StateMachine stateMachine,
            Metrics exportTo, int ioThreads, ReplicaStorage storage,
            Function<MessageSigner, OutboundFilter> outbound, int faultControlPort) throws IOException {
        if (faultControlPort != NO_FAULT_CONTROL && (faultControlPort < 0 || faultControlPort > 65_535)) {
            throw new IllegalArgumentException("fault-control port must be in [0, 65535], was " + faultControlPort);
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stateMachine, "stateMachine");
        Objects.requireNonNull(exportTo, "exportTo");
        if (replicaId < 0 || replicaId >= config.replicaCount()) {
            throw new IllegalArgumentException("replica id " + replicaId + " is not in the cluster configuration"
                    + " (replicas 0 to " + (config.replicaCount() - 1) + ")");
        }
        ReplicaEndpoint endpoint = config.replica(replicaId);
        if (!Arrays.equals(key.publicKey(), endpoint.publicKey())) {
            throw new IllegalArgumentException("the signing key's public key "
                    + HexFormat.of().formatHex(key.publicKey()) + " does not match replica." + replicaId
                    + ".publicKey " + HexFormat.of().formatHex(endpoint.publicKey()) + " of the cluster configuration");
        }
        // The partitioned view of the service executes too, so its digest is the one state transfer checks.
        PartitionedStateMachine service = PartitionedStateMachine.of(stateMachine);
        ClientSessions sessions = new ClientSessions(MAX_CLIENT_SESSIONS);
        ReplicaKeys keys = new Ed25519ReplicaKeys(replicaId, key, publicKeys(config));
        Envelopes envelopes = new Envelopes(replicaId, config.replicaCount(), keys);
        Replica replica = new Replica(config.replicaConfig(replicaId), envelopes, new CheckpointDigests());
        ReplicaStore store = null;
        ReplicaStore.Recovered recovered = ReplicaStore.Recovered.EMPTY;
        if (storage.isDurable()) {
            store = ReplicaStore.open(replicaId, NioLogStorage.open(storage.logDirectory()),
                    LogOptions.defaults().withSyncPolicy(storage.syncPolicy())
                            .withSegmentBytes(SEGMENT_BYTES).withMaxSnapshotBytes(MAX_SNAPSHOT_BYTES),
                    storage.snapshotEvery());
            try {
                recovered = store.recover(service, new CheckpointDigests(), () -> envelopes.opener(Integer.MAX_VALUE));
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
        }
        NodeMetrics metrics = new NodeMetrics(exportTo, replicaId);
        Evidence evidence = new Evidence(Evidence.DEFAULT_CAPACITY);
        Transport transport = new Transport(transportConfig(config, ioThreads));
        // With one I/O thread the core runs on it: verifying, deciding and sending then need no
        // hand-off between threads. With more, verification runs in parallel and the core apart.
        CoreLoop core = ioThreads == 1
                ? new CoreLoop(replica, service, metrics, evidence, transport.ioThread())
                : new CoreLoop(replica, service, metrics, evidence);
        metrics.bindTransport(transport.stats());
        ReplicaNode node = new ReplicaNode(config, replicaId, metrics, evidence, core, transport, store,
                Objects.requireNonNull(outbound.apply(envelopes), "outbound filter"));
        try {
            node.open(key, keys, replica, service, sessions, recovered, faultControlPort);
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** This process's random incarnation, never 0 (which means none on the wire). */
    private static long incarnation() {
        long drawn = new SecureRandom().nextLong();
        return drawn != 0 ? drawn : 1;
    }

    private static byte[][] publicKeys(ClusterConfig config) {
        byte[][] publicKeys = new byte[config.replicaCount()][];
        for (int i = 0; i < publicKeys.length; i++) {
            publicKeys[i] = config.replica(i).publicKey();
        }
        return publicKeys;
    }

    private void open(SigningKey key, ReplicaKeys keys, Replica replica, PartitionedStateMachine stateMachine,
            ClientSessions sessions, ReplicaStore.Recovered recovered, int faultControl) throws IOException {
        int n = config.replicaCount();
        PreparedSlots prepared = new PreparedSlots(2 * config.protocol().windowSize());
        LinkFaults faults = faultControl == NO_FAULT_CONTROL ? null
                : new LinkFaults(n, transport.ioThread().executor());
        Outbox outbox = new Outbox(id, sessions, metrics, faults);
        // One cache for both ports: a request verified on arrival from its client is not verified
        // again when a backup forwards it or when it comes back in a pre-prepare.
        VerifiedSignatures signatures = new VerifiedSignatures();
        RequestCheck requests = new ClientRequestCheck(request -> macValid(sessions, request), signatures);
        IdentityWatch identity = new IdentityWatch(id, incarnation(), key, publicKeys(config), outbox, metrics);
        ReplicaInbound inbound = new ReplicaInbound(
                new InboundPipeline(id, n, config.protocol().windowSize(), keys, requests, prepared, metrics), core,
                identity);
        ClientPort clients = new ClientPort(id, config.replicaCount(), key, sessions, signatures, core, metrics);
        metrics.bindClientConnections(clients::authenticatedConnections);
        // Peers never send on our outbound connections; anything that arrives there is checked like the rest.
        outbox.connectPeers(transport, config.replicas(), inbound);
        transport.ioThread().executor().scheduleAtFixedRate(identity::announceToPeers,
                IdentityWatch.ANNOUNCE_INTERVAL_MILLIS, IdentityWatch.ANNOUNCE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        ReplicaEndpoint endpoint = config.replica(id);
        Listener replicaListener =
                transport.listen(endpoint.host(), endpoint.port(), inbound, replicaPortLimits(config));
        Listener clientListener = transport.listen(endpoint.host(), endpoint.clientPort(), clients);
        replicaPort = replicaListener.port();
        clientPort = clientListener.port();
        if (faults != null) {
            // Loopback only: whoever can reach this port can partition the replica.
            faultControlPort = transport.listen(InetAddress.getLoopbackAddress().getHostAddress(), faultControl,
                    new FaultControl(id, faults), replicaPortLimits(config)).port();
            log.warn("replica {} takes network faults on command on 127.0.0.1:{} (--fault-control, for tests only)",
                    id, faultControlPort);
        }
        StateTransfer transfer = new StateTransfer(id, n, stateMachine, new CheckpointDigests(),
                StateTransferLimits.defaults());
        if (recovered.sequence() > 0) {
            transfer.restored(recovered.sequence(), recovered.clientTable());
        }
        EffectsCarrier carrier = new EffectsCarrier(replica,
                new StateMachineExecutor(stateMachine, transfer::checkpointExecuted), prepared, outboundFilter,
                new OutboundPipeline(id, n, keys), outbox, outbox, this::onProtocolEvent, transfer,
                store == null ? Durability.NONE : stopOnFailure(store));
        carrier.deferSyncs(); // the core loop flushes once the inputs at hand are applied
        core.onServiceFailure(this::stopOnServiceFailure);
        if (store == null) {
            core.start(carrier);
        } else {
            core.start(carrier, now -> replica.recover(recovered.sequence(), recovered.checkpointDigest(),
                    recovered.clientTable(), recovered.records(), now));
        }
        log.info("replica {} listening on {}:{} (replicas) and {}:{} (clients), sockets on {}", id, endpoint.host(),
                replicaPort, endpoint.host(), clientPort, transport.flavour().displayName());
        warnIfTooFewDescriptors();
    }

    /**
     * The file descriptors this replica may need: one per connection, up to
     * {@link ListenerLimits#maxConnections()} on each of its two ports, and
     * {@value #OTHER_DESCRIPTORS} for its peers, its log, its service's files and the JVM.
     * ({@code scripts/cluster.sh} makes the same sum.)
     */
    static long descriptorsNeeded(ClusterConfig config) {
        return 2L * config.listenerLimits().maxConnections() + OTHER_DESCRIPTORS;
    }

    /**
     * Out of descriptors, a replica can accept neither clients nor peers, nor open a log segment;
     * the connection caps keep it from that only if the process may open enough files.
     */
    private void warnIfTooFewDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            long needed = descriptorsNeeded(config);
            if (limit < needed) {
                log.warn("replica {} may open {} files, and may need {} at transport.maxConnectionsPerPort = {}:"
                        + " raise its limit on open files (ulimit -n) or lower that setting", id, limit, needed,
                        config.listenerLimits().maxConnections());
            }
        }
    }

    /**
     * The store, but a replica whose disk fails stops taking input: it cannot keep what its next
     * messages would promise, so it goes silent (a crash, as far as its peers can tell) rather than
     * risk contradicting itself after a restart. Logged once.
     */
    /** The core's events: logged once each, a proof of equivocation kept as well. Runs on the core's thread. */
    private void onProtocolEvent(ProtocolEvent event) {
        if (event instanceof ProtocolEvent.Equivocation equivocation) {
            evidence.add(equivocation).ifPresent(proof -> {
                metrics.equivocationProven();
                log.error("replica {}: {}; it keeps both, signed, as proof (scripts/pbft evidence)", id, proof.describe());
            });
        } else {
            EffectsCarrier.log(id, event);
        }
    }

    private Durability stopOnFailure(ReplicaStore store) {
        return new Durability() {
            @Override
            public void append(List<DurableRecord> records) {
                guarded(() -> store.append(records));
            }

            @Override
            public void sync() {
                guarded(store::sync);
            }

            @Override
            public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {
                guarded(() -> store.checkpointKept(taken, checkpoint));
            }

            @Override
            public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {
                guarded(() -> store.stateInstalled(installed, checkpoint));
            }

            private void guarded(Runnable write) {
                try {
                    write.run();
                } catch (UncheckedIOException e) {
                    throw stopped(e);
                }
            }

            private UncheckedIOException stopped(UncheckedIOException e) {
                core.stopAccepting();
                log.error("replica {} stops taking input: its data directory cannot be written; restart it once the"
                        + " disk is repaired, and it recovers from what reached the disk", id, e);
                return e;
            }
        };
    }

    /**
     * Closes the replica on a thread of its own: close waits for the core thread, where the
     * failure was met, and must not run on an I/O thread.
     */
    private void stopOnServiceFailure(ServiceFailedException e) {
        failure = e;
        Thread stopping = new Thread(this::close, "pbft-replica-" + id + "-stopping");
        stopping.start();
    }

    /** Whether the request's entry for this replica is a valid MAC from its client, under its session key. */
    private boolean macValid(ClientSessions sessions, Request request) {
        byte[] mac = request.authenticator().get(id).toByteArray();
        return sessions.verify(request.clientId(), request.digest().toByteArray(), mac);
    }

    /** The cluster's listener limits; those of the client port in full (see {@link #replicaPortLimits}). */
    static TransportConfig transportConfig(ClusterConfig config, int ioThreads) {
        TransportConfig defaults = TransportConfig.defaults();
        long queued = Math.max(defaults.maxQueuedBytesPerConnection(),
                2L * (config.maxFrameBytes() + TransportConfig.LENGTH_PREFIX_BYTES));
        return new TransportConfig(config.maxFrameBytes(), queued, defaults.reconnectMinMillis(),
                defaults.reconnectMaxMillis(), ioThreads, config.listenerLimits());
    }

    /**
     * The connection caps of the cluster's listener limits, without the handshake and idle timeouts:
     * replicas run no handshake on this port, since every message they send carries its own signature
     * or MAC, checked on arrival; and a peer with nothing to say may stay quiet.
     */
    static ListenerLimits replicaPortLimits(ClusterConfig config) {
        return config.listenerLimits().withoutHandshake().withIdleTimeoutMillis(0);
    }

    public int id() {
        return id;
    }

    public ClusterConfig config() {
        return config;
    }

    /** The bound replica port. */
    public int replicaPort() {
        return replicaPort;
    }

    /** The bound client port. */
    public int clientPort() {
        return clientPort;
    }

    /** The bound fault-control port on the loopback address, or {@link #NO_FAULT_CONTROL}. */
    public int faultControlPort() {
        return faultControlPort;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * Blocks until this replica has stopped: {@link #close} returned (called by anyone, a shutdown
     * hook for instance), or the replica stopped on its own ({@link #failure()} says why). A
     * replica serves until then, so an application's main thread starts it and waits here.
     */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Why the replica stopped on its own: its service threw from {@code execute} (logged at ERROR
     * with the sequence number). Empty while it runs and when it was closed.
     */
    public Optional<ServiceFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    /** As {@link #awaitTermination()}, at most {@code timeout}; returns whether the replica stopped. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /**
     * Stops taking input, closes every connection and listener, and stops the core thread (waiting
     * a bounded time), then releases {@link #awaitTermination}. Idempotent; must not be called from
     * a Netty I/O thread.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            release();
        } finally {
            terminated.countDown();
        }
    }

    private void release() {
        core.stopAccepting();
        transport.close();
        core.close();
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                log.warn("replica {}: closing its log failed; a restart recovers what reached the disk", id, e);
            }
        }
        metrics.unregister();
        log.info("replica {} stopped", id);
    }
}
