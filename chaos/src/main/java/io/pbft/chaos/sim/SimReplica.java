package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.chaos.check.RunHistory;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Outbound;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.Replica;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.driver.DropCounter;
import io.pbft.driver.DropReason;
import io.pbft.driver.Durability;
import io.pbft.driver.EffectsCarrier;
import io.pbft.driver.Evidence;
import io.pbft.driver.Envelopes;
import io.pbft.driver.FrameSink;
import io.pbft.driver.InboundPipeline;
import io.pbft.driver.OutboundFilter;
import io.pbft.driver.OutboundPipeline;
import io.pbft.driver.PreparedSlots;
import io.pbft.driver.ReplicaKeys;
import io.pbft.driver.ReplicaStore;
import io.pbft.driver.RequestCheck;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.driver.state.StateTransfer;
import io.pbft.driver.state.StateTransferLimits;
import io.pbft.execution.StateMachineExecutor;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateMachine;
import io.pbft.storage.LogOptions;
import io.pbft.storage.SyncPolicy;
import io.pbft.wire.ProvenEquivocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One incarnation of a simulated replica: its protocol core with the node's own inbound checks and
 * effects carrier (over the simulated network, with simulated keys), its own copy of the service,
 * its store on the replica's simulated disk, its behaviour, and what it executed. A crash ends the
 * incarnation; a restart makes a new one on the same disk. Holds no logic of its own beyond
 * bookkeeping.
 */
final class SimReplica implements DropCounter {

    static final long NO_WAKE = Effects.NO_WAKEUP;

    /** Small segments and a snapshot every second checkpoint, so that short runs truncate and restore. */
    private static final LogOptions LOG_OPTIONS = LogOptions.defaults().withSegmentBytes(64 * 1024)
            .withWriteBufferBytes(16 * 1024).withSyncPolicy(SyncPolicy.EVERY_BATCH);
    private static final int SNAPSHOT_EVERY_CHECKPOINTS = 2;

    final int id;
    /**
     * Where the simulation's events for this process go: its id, or for the second of two twins
     * (which share the id) the id plus n.
     */
    final int address;
    /** 0 for the replica as first started, one more for each restart. */
    final int incarnation;
    final Replica core;
    final Behaviour behaviour;
    final Envelopes envelopes;
    final InboundPipeline inbound;
    private final PartitionedStateMachine partitioned;
    private final DigestRecordingStateMachine service;
    private final ReplicaStore store;
    private final ReplicaDisk disk;
    /** Where a crash due to strike in this replica's next input that logs records strikes, or null. */
    private CrashPoint crashArmed;
    /** Whether the armed crash struck: the process died after its records were synced. */
    private boolean diedAfterSync;
    private final OutboundPipeline outboundPipeline;
    private final PreparedSlots prepared;
    private EffectsCarrier carrier;
    private FrameSink frames;
    private final StateTransfer transfer;
    private final List<Execution> executed = new ArrayList<>();
    private final SortedMap<Long, ByteString> checkpointDigests = new TreeMap<>();
    private final List<ProtocolEvent> events = new ArrayList<>();
    private final Evidence evidence = new Evidence(Evidence.DEFAULT_CAPACITY);
    private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    /** The time of the earliest wake-up event still queued for this replica, or NO_WAKE. */
    long pendingWakeMillis = NO_WAKE;
    /** Consecutive ticks after which the core asked to be ticked again without time passing. */
    int immediateTicks;

    /** Opens replica {@code id}'s store on its disk, as the node opens its data directory. */
    static ReplicaStore openStore(int id, ReplicaDisk disk, SimulationConfig config) throws IOException {
        return ReplicaStore.open(id, disk, LOG_OPTIONS,
                (long) SNAPSHOT_EVERY_CHECKPOINTS * config.checkpointInterval());
    }

    /** {@code store} is open on {@code disk}, from which a restarted incarnation recovers first ({@link #recoverFromDisk}). */
    SimReplica(int id, int address, int incarnation, SimulationConfig config, StateMachine service,
            Behaviour behaviour, RequestCheck requests, ReplicaStore store, ReplicaDisk disk) {
        this.id = id;
        this.address = address;
        this.incarnation = incarnation;
        this.store = store;
        this.disk = disk;
        int n = config.replicaCount();
        ReplicaKeys keys = new SimulatedKeys(id, n);
        this.envelopes = new Envelopes(id, n, keys);
        this.core = new Replica(config.replicaConfig(id), envelopes, new CheckpointDigests());
        this.behaviour = behaviour;
        // The partitioned view executes, so its digest is the one state transfer checks.
        this.partitioned = PartitionedStateMachine.of(service);
        this.service = new DigestRecordingStateMachine(partitioned);
        // A lost request is asked again of another peer after a few round trips of the simulated network.
        StateTransferLimits limits = StateTransferLimits.defaults()
                .withRequestTimeoutMillis(Math.max(50, 4 * config.network().maxDelayMillis()));
        this.transfer = new StateTransfer(id, n, partitioned, new CheckpointDigests(), limits);
        PreparedSlots prepared = new PreparedSlots(2 * config.windowSize());
        this.inbound = new InboundPipeline(id, n, config.windowSize(), keys, requests, prepared, this);
        this.outboundPipeline = new OutboundPipeline(id, n, keys);
        this.prepared = prepared;
    }

    /**
     * Connects the replica's effects to the network; {@code filter} applies its behaviour, and {@code
     * proofs} hears of each new proof of equivocation it keeps, as the node's log would.
     */
    void connect(OutboundFilter filter, FrameSink frames, EffectsCarrier.ReplySink replies,
            Consumer<ProvenEquivocation> proofs) {
        this.frames = frames;
        this.carrier = new EffectsCarrier(core, new StateMachineExecutor(service, transfer::checkpointExecuted),
                prepared, filter, outboundPipeline, frames, replies, event -> {
                    events.add(event);
                    if (event instanceof ProtocolEvent.Equivocation equivocation) {
                        evidence.add(equivocation).ifPresent(proofs);
                    }
                }, transfer, new CrashableStore());
    }

    /** The proofs of equivocation this incarnation holds. */
    Evidence evidence() {
        return evidence;
    }

    /**
     * Restores the service from the disk's snapshot and reads back the log, for the core's {@link
     * Replica#recover}, which must be this incarnation's first input.
     *
     * @throws IOException if the disk holds what a crash cannot explain
     */
    ReplicaStore.Recovered recoverFromDisk() throws IOException {
        ReplicaStore.Recovered recovered =
                store.recover(partitioned, new CheckpointDigests(), () -> envelopes.opener(Integer.MAX_VALUE));
        if (recovered.sequence() > 0) {
            transfer.restored(recovered.sequence(), recovered.clientTable());
        }
        return recovered;
    }

    /**
     * The process dies in its next input that logs records, at {@code point}: after syncing them,
     * or while syncing them; in both, before any message or reply of that input leaves. The input
     * then throws, and {@link #died()} says why.
     */
    void armCrash(CrashPoint point) {
        crashArmed = point;
    }

    /** Whether the armed crash struck: the input that threw was this process dying, not a failure. */
    boolean died() {
        return diedAfterSync || disk.died();
    }

    /** What its service answers to a read-only {@code operation} now. */
    byte[] query(byte[] operation) {
        return partitioned.query(operation);
    }

    /** Its service's state digest now. */
    ByteString stateDigest() {
        return ByteString.copyFrom(partitioned.stateDigest());
    }

    /** What this incarnation executed and the digests it had at checkpoints, for the run's history. */
    RunHistory.Incarnation history() {
        return new RunHistory.Incarnation(executed, checkpointDigests);
    }

    /** Carries out {@code effects}, and records what executed with the digest of each checkpoint. */
    EffectsCarrier.Carried carryOut(Effects effects, long nowMillis) {
        return recorded(carrier.carryOut(effects, nowMillis));
    }

    /** A state-transfer message from a peer, carried out as the node does. */
    EffectsCarrier.Carried onStateTransfer(int from, ReplicaMessage message, long nowMillis) {
        return recorded(carrier.onStateTransfer(from, message, nowMillis));
    }

    private EffectsCarrier.Carried recorded(EffectsCarrier.Carried carried) {
        for (Execution execution : carried.executed()) {
            executed.add(execution);
            if (execution.checkpoint()) {
                ByteString digest = service.pollDigest();
                if (digest == null) {
                    throw new IllegalStateException("executor took no state digest at checkpoint "
                            + execution.sequence());
                }
                checkpointDigests.put(execution.sequence(), digest);
            }
        }
        return carried;
    }

    /** Sends a message its behaviour held back, as the node's outbound pipeline would have. */
    void sendHeld(Outbound outbound) {
        outboundPipeline.send(outbound, frames);
    }

    SortedMap<Long, ByteString> checkpointDigests() {
        return checkpointDigests;
    }

    List<ProtocolEvent> events() {
        return events;
    }

    /** How many times this replica left a view, by cause. */
    Map<ProtocolEvent.ViewChangeCause, Long> viewChangeCauses() {
        Map<ProtocolEvent.ViewChangeCause, Long> causes = new EnumMap<>(ProtocolEvent.ViewChangeCause.class);
        for (ProtocolEvent event : events) {
            if (event instanceof ProtocolEvent.ViewChangeStarted started) {
                causes.merge(started.cause(), 1L, Long::sum);
            }
        }
        return causes;
    }

    Map<DropReason, Long> drops() {
        return drops;
    }

    @Override
    public void drop(DropReason reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    @Override
    public void redundantPrepare() {
        // Counted by the node for its status; nothing a simulation checks.
    }

    @Override
    public void unverifiedPrePrepare() {
        // The simulator decided it (the RequestCheck model); nothing more to record.
    }

    /** Thrown out of the carrier where the process died: nothing after this point of its input happens. */
    static final class ProcessDied extends RuntimeException {
        ProcessDied(int replica) {
            super("replica " + replica + " died after syncing its records, before sending", null, false, false);
        }
    }

    /** The replica's store, where an armed crash strikes: the carrier persists first, then sends. */
    private final class CrashableStore implements Durability {
        @Override
        public void append(List<DurableRecord> records) {
            store.append(records);
        }

        /** The carrier syncs only when the input appended a promise: where an armed crash strikes. */
        @Override
        public void sync() {
            if (crashArmed == null) {
                store.sync();
                return;
            }
            if (crashArmed == CrashPoint.DURING_SYNC) {
                disk.dieAtNextSync();
            }
            store.sync(); // throws where it dies during the sync
            diedAfterSync = true;
            throw new ProcessDied(id);
        }

        @Override
        public void checkpointKept(CheckpointTaken taken, ServedCheckpoint checkpoint) {
            store.checkpointKept(taken, checkpoint);
        }

        @Override
        public void stateInstalled(CheckpointTaken installed, ServedCheckpoint checkpoint) {
            store.stateInstalled(installed, checkpoint);
        }
    }
}
