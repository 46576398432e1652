package io.pbft.node;

import io.pbft.core.Rejection;
import io.pbft.driver.DropCounter;
import io.pbft.driver.DropReason;
import io.pbft.driver.PreparedSlots;
import io.pbft.driver.state.FetchStats;
import io.pbft.metrics.MeterId;
import io.pbft.metrics.Metrics;
import io.pbft.transport.TransportStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.SortedMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The counters and gauges of one replica node, reported to a {@link Metrics} (tag {@code
 * replica=<id>}) and readable directly as longs by tests and the status command.
 *
 * <ul>
 *   <li>{@code pbft.node.dropped{reason}}: inputs the node dropped, per {@link DropReason};
 *   <li>{@code pbft.core.rejections{reason}}: inputs the core rejected, per {@link Rejection};
 *   <li>{@code pbft.core.view}, {@code .last_executed}, {@code .highest_sequence} (the highest
 *       sequence number pre-prepared in this view), {@code .low_watermark}, {@code
 *       .stable_checkpoint}, {@code .log_size}, {@code .known_clients}: the core's progress, as of
 *       its last input;
 *   <li>{@code pbft.node.commit_latency}: a histogram of request arrival to reply ({@link CommitLatency});
 *   <li>{@code pbft.node.client_connections}: client connections with a completed handshake;
 *   <li>{@code pbft.transport.*}: the transport's frames (the messages in and out) and bytes, its open
 *       accepted connections, and the connections and frames it refused or closed for its limits.
 * </ul>
 *
 * The status report carries the non-zero counters ({@link #nonZeroCounters}), among them what
 * state transfer fetched since the replica started ({@code state_transfer.*}), as of the query.
 *
 * Thread-safe.
 */
public final class NodeMetrics implements DropCounter {

    /**
     * The transport's counters of connections and frames refused or closed for its limits (see
     * {@code ListenerLimits}), by name: what a flood of connections or of strangers' bytes shows as.
     */
    private static final SortedMap<String, ToLongFunction<TransportStats>> TRANSPORT_LIMIT_COUNTERS =
            new TreeMap<>(Map.of(
                    "connections_refused_port_full", TransportStats::connectionsRefusedPortFull,
                    "connections_refused_address_full", TransportStats::connectionsRefusedAddressFull,
                    "accept_failures", TransportStats::acceptFailures,
                    "connections_closed_handshake_timeout", TransportStats::connectionsClosedHandshakeTimeout,
                    "connections_closed_idle", TransportStats::connectionsClosedIdle,
                    "frames_rejected_before_handshake", TransportStats::framesRejectedBeforeHandshake));

    /** The transport's other counters, by name: the messages in and out among them. */
    private static final SortedMap<String, ToLongFunction<TransportStats>> TRANSPORT_COUNTERS = new TreeMap<>(Map.of(
            "frames_received", TransportStats::framesReceived,
            "frames_sent", TransportStats::framesSent,
            "bytes_received", TransportStats::bytesReceived,
            "bytes_sent", TransportStats::bytesSent,
            "frames_rejected_oversized", TransportStats::framesRejectedOversized,
            "frames_dropped_queue_full", TransportStats::framesDroppedQueueFull,
            "frames_dropped_not_connected", TransportStats::framesDroppedNotConnected,
            "connections_accepted", TransportStats::connectionsAccepted,
            "connections_closed_on_error", TransportStats::connectionsClosedOnError));

    private final Metrics sink;
    private final String replica;
    /** Every meter this node registered, removed again when the node closes. */
    private final List<Metrics.Registration> registrations = new ArrayList<>();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final LongAdder coreFailures = new LongAdder();
    private final LongAdder unverifiedPrePrepares = new LongAdder();
    private final LongAdder redundantPrepares = new LongAdder();
    private final LongAdder duplicateIdentities = new LongAdder();
    private final LongAdder equivocationsProven = new LongAdder();
    private final LongAdder clientReadsPaused = new LongAdder();
    private final LongAdder clientReadsResumed = new LongAdder();
    private final CommitLatency commitLatency;
    private volatile CoreSnapshot core = CoreSnapshot.INITIAL;
    /** Published by the core thread, which alone may read the state transfer's counts. */
    private volatile FetchStats fetched = FetchStats.NONE;
    private volatile TransportStats transport;
    private volatile Supplier<Integer> clientConnections = () -> 0;

    NodeMetrics(Metrics sink, int replicaId) {
        this.sink = sink;
        this.replica = Integer.toString(replicaId);
        for (DropReason reason : DropReason.values()) {
            LongAdder adder = new LongAdder();
            dropped.put(reason, adder);
            counter(id("pbft.node.dropped", "inputs dropped by the node before the core saw them")
                    .tag("reason", name(reason)), adder);
        }
        counter(id("pbft.node.unverified_pre_prepares", "pre-prepares holding a request whose MAC this replica"
                + " could not check; held until 2f other backups vouch for them"), unverifiedPrePrepares);
        counter(id("pbft.node.redundant_prepares", "prepares for slots this replica had already prepared, dropped"
                + " without checking their signatures"), redundantPrepares);
        counter(id("pbft.node.duplicate_identity", "reports that another process runs with this replica's id and"
                + " key (logged at ERROR)"), duplicateIdentities);
        counter(id("pbft.node.equivocations_proven", "distinct equivocations by peers, each proven by two signed"
                + " messages (logged at ERROR)"), equivocationsProven);
        counter(id("pbft.node.core_failures", "inputs on which the core or the driver threw (a bug; logged at"
                + " ERROR)"), coreFailures);
        for (Rejection reason : Rejection.values()) {
            registrations.add(sink.counter(id("pbft.core.rejections", "inputs the core rejected")
                    .tag("reason", name(reason)), () -> core.rejections(reason)));
        }
        gauge("pbft.core.view", "the view this replica is in or changing to", () -> core.view());
        gauge("pbft.core.last_executed", "the highest sequence number executed", () -> core.lastExecuted());
        gauge("pbft.core.highest_sequence", "the highest sequence number pre-prepared in this view",
                () -> core.highestSequence());
        gauge("pbft.core.low_watermark", "the bottom of the window of sequence numbers", () -> core.lowWatermark());
        gauge("pbft.core.stable_checkpoint", "the sequence number of the last stable checkpoint",
                () -> core.stableCheckpoint());
        gauge("pbft.core.log_size", "sequence numbers held in the message log", () -> core.logSize());
        gauge("pbft.core.known_clients", "clients in the client table", () -> core.knownClients());
        gauge("pbft.node.client_connections", "client connections with a completed handshake",
                () -> clientConnections.get());
        gauge("pbft.transport.connections_open", "accepted connections open now",
                () -> transportValue(TransportStats::connectionsOpen));
        for (Map.Entry<String, ToLongFunction<TransportStats>> counter : TRANSPORT_COUNTERS.entrySet()) {
            registrations.add(sink.counter(id("pbft.transport." + counter.getKey(), "the transport's "
                    + counter.getKey().replace('_', ' ')), () -> transportValue(counter.getValue())));
        }
        for (Map.Entry<String, ToLongFunction<TransportStats>> limit : TRANSPORT_LIMIT_COUNTERS.entrySet()) {
            registrations.add(sink.counter(id("pbft.transport." + limit.getKey(), "refused or closed for the"
                    + " transport's limits: " + limit.getKey().replace('_', ' ')),
                    () -> transportValue(limit.getValue())));
        }
        Metrics.LatencyRecorder latency = sink.latency(id("pbft.node.commit_latency",
                "from a request's arrival on the client port to this replica's reply, sent once it executed"));
        registrations.add(latency);
        commitLatency = new CommitLatency(latency);
    }

    private MeterId id(String name, String description) {
        return MeterId.of(name, description).tag("replica", replica);
    }

    private void counter(MeterId id, LongAdder adder) {
        registrations.add(sink.counter(id, adder::sum));
    }

    private void gauge(String name, String description, LongSupplier value) {
        registrations.add(sink.gauge(id(name, description), value::getAsLong));
    }

    /** Where this node's meters are reported. */
    public Metrics sink() {
        return sink;
    }

    /** How many inputs were dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    /** All drops, whatever the reason. */
    public long droppedTotal() {
        long total = 0;
        for (LongAdder adder : dropped.values()) {
            total += adder.sum();
        }
        return total;
    }

    /**
     * Every counter of a dropped or rejected input that is not zero, by name ({@code dropped.*},
     * {@code rejected.*}, {@code transport.*}, {@code unverified_pre_prepares}, {@code redundant_prepares},
     * {@code duplicate_identity}), and what
     * state transfer fetched ({@code state_transfer.*}, as last published), in name order.
     */
    public SortedMap<String, Long> nonZeroCounters() {
        SortedMap<String, Long> counters = new TreeMap<>();
        for (DropReason reason : DropReason.values()) {
            putIfNonZero(counters, "dropped." + name(reason), dropped(reason));
        }
        for (Rejection reason : Rejection.values()) {
            putIfNonZero(counters, "rejected." + name(reason), coreRejections(reason));
        }
        putIfNonZero(counters, "unverified_pre_prepares", unverifiedPrePrepares());
        putIfNonZero(counters, "redundant_prepares", redundantPrepares());
        putIfNonZero(counters, "core_failures", coreFailures());
        putIfNonZero(counters, "duplicate_identity", duplicateIdentities());
        putIfNonZero(counters, "equivocations_proven", equivocationsProven.sum());
        putIfNonZero(counters, "client_reads_paused", clientReadsPausedCount());
        putIfNonZero(counters, "client_reads_resumed", clientReadsResumedCount());
        putIfNonZero(counters, "transport.frames_rejected_oversized",
                transportValue(TransportStats::framesRejectedOversized));
        putIfNonZero(counters, "transport.frames_dropped_queue_full",
                transportValue(TransportStats::framesDroppedQueueFull));
        putIfNonZero(counters, "transport.frames_dropped_not_connected",
                transportValue(TransportStats::framesDroppedNotConnected));
        for (Map.Entry<String, ToLongFunction<TransportStats>> limit : TRANSPORT_LIMIT_COUNTERS.entrySet()) {
            putIfNonZero(counters, "transport." + limit.getKey(), transportValue(limit.getValue()));
        }
        FetchStats fetchedNow = fetched;
        putIfNonZero(counters, "state_transfer.requests_sent", fetchedNow.requestsSent());
        putIfNonZero(counters, "state_transfer.partitions_installed", fetchedNow.partitionsInstalled());
        putIfNonZero(counters, "state_transfer.partition_bytes", fetchedNow.partitionBytesReceived());
        putIfNonZero(counters, "state_transfer.client_table_bytes", fetchedNow.clientTableBytesReceived());
        return counters;
    }

    private static void putIfNonZero(SortedMap<String, Long> counters, String name, long value) {
        if (value != 0) {
            counters.put(name, value);
        }
    }

    /** How many inputs the core rejected for {@code reason}, as of its last input. */
    public long coreRejections(Rejection reason) {
        return core.rejections(reason);
    }

    /** Inputs on which the core or the driver threw; anything but zero is a bug. */
    public long coreFailures() {
        return coreFailures.sum();
    }

    public long view() {
        return core.view();
    }

    public long lastExecuted() {
        return core.lastExecuted();
    }

    public long lowWatermark() {
        return core.lowWatermark();
    }

    public int logSize() {
        return core.logSize();
    }

    /** Client connections that completed their handshake and are still open. */
    public int clientConnections() {
        return clientConnections.get();
    }

    /** The transport's counters (frames, bytes, oversized frames, connections). */
    public TransportStats transport() {
        return transport;
    }

    public long highestSequence() {
        return core.highestSequence();
    }

    public long stableCheckpoint() {
        return core.stableCheckpoint();
    }

    /** Requests timed from arrival to reply so far (see {@link CommitLatency}). */
    public long commitLatencySamples() {
        return commitLatency.samples();
    }

    /** A client request arrived on the client port (an I/O thread); its reply will stop its clock. */
    void requestArrived(long clientId, long timestamp) {
        commitLatency.arrived(clientId, timestamp, System.nanoTime());
    }

    /** This replica sent its reply to the client's request (the core thread). */
    void replied(long clientId, long timestamp) {
        commitLatency.replied(clientId, timestamp, System.nanoTime());
    }

    /**
     * Removes this node's meters from where they are reported, so that a registry shared by a node
     * that is later restarted does not keep reporting the closed one. The typed readers keep working.
     */
    void unregister() {
        registrations.forEach(Metrics.Registration::remove);
    }

    @Override
    public void drop(DropReason reason) {
        dropped.get(reason).increment();
    }

    @Override
    public void redundantPrepare() {
        redundantPrepares.increment();
    }

    /** Prepares dropped unchecked because their slot was already prepared here (see {@link PreparedSlots}). */
    public long redundantPrepares() {
        return redundantPrepares.sum();
    }

    @Override
    public void unverifiedPrePrepare() {
        unverifiedPrePrepares.increment();
    }

    /**
     * Pre-prepares passed to the core as unverified: some request had neither a valid MAC for this
     * replica nor a valid signature (a faulty primary proposed it, in this view or an earlier one).
     */
    public long unverifiedPrePrepares() {
        return unverifiedPrePrepares.sum();
    }

    /** A peer was caught signing two conflicting messages; the node keeps the proof. */
    void equivocationProven() {
        equivocationsProven.increment();
    }

    /** Another process runs with this replica's id and key, as a peer or a connection showed (see IdentityWatch). */
    void duplicateIdentity() {
        duplicateIdentities.increment();
    }

    public long duplicateIdentities() {
        return duplicateIdentities.sum();
    }

    /** A client connection used up its read budget and is not read until the next drain of requests. */
    void clientReadsPaused() {
        clientReadsPaused.increment();
    }

    void clientReadsResumed() {
        clientReadsResumed.increment();
    }

    /** How many times a client connection was paused for its read budget. */
    public long clientReadsPausedCount() {
        return clientReadsPaused.sum();
    }

    /** How many of those pauses ended; equal to the pauses whenever no drain is due. */
    public long clientReadsResumedCount() {
        return clientReadsResumed.sum();
    }

    void coreFailed() {
        coreFailures.increment();
    }

    void publish(CoreSnapshot snapshot) {
        core = snapshot;
    }

    /** What state transfer fetched since the replica started, from the core thread. */
    void publishFetched(FetchStats totals) {
        fetched = totals;
    }

    void bindTransport(TransportStats stats) {
        transport = stats;
    }

    void bindClientConnections(Supplier<Integer> count) {
        clientConnections = count;
    }

    private long transportValue(ToLongFunction<TransportStats> value) {
        TransportStats stats = transport;
        return stats == null ? 0 : value.applyAsLong(stats);
    }

    private static String name(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
