package io.pbft.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pbft.core.Rejection;
import io.pbft.driver.DropCounter;
import io.pbft.driver.DropReason;
import io.pbft.driver.PreparedSlots;
import io.pbft.driver.state.FetchStats;
import io.pbft.transport.TransportStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.SortedMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The counters and gauges of one replica node, registered in a Micrometer {@link MeterRegistry}
 * (tag {@code replica=<id>}) and readable directly as longs by tests and the status command.
 *
 * <ul>
 *   <li>{@code pbft.node.dropped{reason}}: inputs the node dropped, per {@link DropReason};
 *   <li>{@code pbft.core.rejections{reason}}: inputs the core rejected, per {@link Rejection};
 *   <li>{@code pbft.core.view}, {@code .last_executed}, {@code .low_watermark}, {@code .log_size},
 *       {@code .known_clients}: the core's progress, as of its last input;
 *   <li>{@code pbft.node.client_connections}: client connections with a completed handshake;
 *   <li>{@code pbft.transport.*}: the transport's frame counters, its open accepted connections, and
 *       the connections and frames it refused or closed for its limits.
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

    private final MeterRegistry registry;
    /** Every meter this node registered, removed again when the node closes. */
    private final List<Meter> meters = new ArrayList<>();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final LongAdder coreFailures = new LongAdder();
    private final LongAdder unverifiedPrePrepares = new LongAdder();
    private final LongAdder redundantPrepares = new LongAdder();
    private final LongAdder duplicateIdentities = new LongAdder();
    private final LongAdder equivocationsProven = new LongAdder();
    private volatile CoreSnapshot core = CoreSnapshot.INITIAL;
    /** Published by the core thread, which alone may read the state transfer's counts. */
    private volatile FetchStats fetched = FetchStats.NONE;
    private volatile TransportStats transport;
    private volatile Supplier<Integer> clientConnections = () -> 0;

    NodeMetrics(MeterRegistry registry, int replicaId) {
        this.registry = registry;
        String replica = Integer.toString(replicaId);
        for (DropReason reason : DropReason.values()) {
            LongAdder adder = new LongAdder();
            dropped.put(reason, adder);
            meters.add(FunctionCounter.builder("pbft.node.dropped", adder, LongAdder::sum)
                    .tag("replica", replica).tag("reason", name(reason))
                    .description("inputs dropped by the node before the core saw them")
                    .register(registry));
        }
        meters.add(FunctionCounter.builder("pbft.node.unverified_pre_prepares", unverifiedPrePrepares, LongAdder::sum)
                .tag("replica", replica)
                .description("pre-prepares holding a request whose MAC this replica could not check; held until"
                        + " 2f other backups vouch for them")
                .register(registry));
        meters.add(FunctionCounter.builder("pbft.node.redundant_prepares", redundantPrepares, LongAdder::sum)
                .tag("replica", replica)
                .description("prepares for slots this replica had already prepared, dropped without checking"
                        + " their signatures")
                .register(registry));
        meters.add(FunctionCounter.builder("pbft.node.duplicate_identity", duplicateIdentities, LongAdder::sum)
                .tag("replica", replica)
                .description("reports that another process runs with this replica's id and key (logged at ERROR)")
                .register(registry));
        meters.add(FunctionCounter.builder("pbft.node.equivocations_proven", equivocationsProven, LongAdder::sum)
                .tag("replica", replica)
                .description("distinct equivocations by peers, each proven by two signed messages (logged at ERROR)")
                .register(registry));
        meters.add(FunctionCounter.builder("pbft.node.core_failures", coreFailures, LongAdder::sum)
                .tag("replica", replica)
                .description("inputs on which the core or the driver threw (a bug; logged at ERROR)")
                .register(registry));
        for (Rejection reason : Rejection.values()) {
            gauge("pbft.core.rejections", replica, m -> m.core.rejections(reason), "reason", name(reason));
        }
        gauge("pbft.core.view", replica, m -> m.core.view());
        gauge("pbft.core.last_executed", replica, m -> m.core.lastExecuted());
        gauge("pbft.core.low_watermark", replica, m -> m.core.lowWatermark());
        gauge("pbft.core.log_size", replica, m -> m.core.logSize());
        gauge("pbft.core.known_clients", replica, m -> m.core.knownClients());
        gauge("pbft.node.client_connections", replica, m -> m.clientConnections.get());
        gauge("pbft.transport.frames_received", replica, m -> transportValue(TransportStats::framesReceived));
        gauge("pbft.transport.frames_sent", replica, m -> transportValue(TransportStats::framesSent));
        gauge("pbft.transport.bytes_received", replica, m -> transportValue(TransportStats::bytesReceived));
        gauge("pbft.transport.bytes_sent", replica, m -> transportValue(TransportStats::bytesSent));
        gauge("pbft.transport.frames_rejected_oversized", replica,
                m -> transportValue(TransportStats::framesRejectedOversized));
        gauge("pbft.transport.frames_dropped_queue_full", replica,
                m -> transportValue(TransportStats::framesDroppedQueueFull));
        gauge("pbft.transport.frames_dropped_not_connected", replica,
                m -> transportValue(TransportStats::framesDroppedNotConnected));
        gauge("pbft.transport.connections_accepted", replica,
                m -> transportValue(TransportStats::connectionsAccepted));
        gauge("pbft.transport.connections_closed_on_error", replica,
                m -> transportValue(TransportStats::connectionsClosedOnError));
        gauge("pbft.transport.connections_open", replica, m -> transportValue(TransportStats::connectionsOpen));
        for (Map.Entry<String, ToLongFunction<TransportStats>> limit : TRANSPORT_LIMIT_COUNTERS.entrySet()) {
            gauge("pbft.transport." + limit.getKey(), replica, m -> transportValue(limit.getValue()::applyAsLong));
        }
    }

    public MeterRegistry registry() {
        return registry;
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
        putIfNonZero(counters, "transport.frames_rejected_oversized",
                (long) transportValue(TransportStats::framesRejectedOversized));
        putIfNonZero(counters, "transport.frames_dropped_queue_full",
                (long) transportValue(TransportStats::framesDroppedQueueFull));
        putIfNonZero(counters, "transport.frames_dropped_not_connected",
                (long) transportValue(TransportStats::framesDroppedNotConnected));
        for (Map.Entry<String, ToLongFunction<TransportStats>> limit : TRANSPORT_LIMIT_COUNTERS.entrySet()) {
            putIfNonZero(counters, "transport." + limit.getKey(), (long) transportValue(limit.getValue()::applyAsLong));
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

    /**
     * Removes this node's meters from the registry, so that a registry shared by a node that is
     * later restarted does not keep reporting the closed one. The typed readers keep working.
     */
    void unregister() {
        meters.forEach(registry::remove);
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

    private double transportValue(ToDoubleFunction<TransportStats> value) {
        TransportStats stats = transport;
        return stats == null ? 0 : value.applyAsDouble(stats);
    }

    private void gauge(String name, String replica, ToDoubleFunction<NodeMetrics> value, String... tags) {
        meters.add(Gauge.builder(name, this, value).tag("replica", replica).tags(tags).strongReference(true)
                .register(registry));
    }

    private static String name(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
