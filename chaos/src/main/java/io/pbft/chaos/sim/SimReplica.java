package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviour;
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
import io.pbft.driver.Envelopes;
import io.pbft.driver.FrameSink;
import io.pbft.driver.InboundPipeline;
import io.pbft.driver.OutboundFilter;
import io.pbft.driver.OutboundPipeline;
import io.pbft.driver.PreparedSlots;
import io.pbft.driver.ReplicaKeys;
import io.pbft.driver.RequestCheck;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.driver.state.StateTransfer;
import io.pbft.driver.state.StateTransferLimits;
import io.pbft.execution.StateMachineExecutor;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One simulated replica: its protocol core with the node's own inbound checks and effects carrier
 * (over the simulated network, with simulated keys), its own copy of the service, its behaviour,
 * and what it executed. Holds no logic of its own beyond bookkeeping.
 */
final class SimReplica implements DropCounter {

    static final long NO_WAKE = Effects.NO_WAKEUP;

    final int id;
    final Replica core;
    final Behaviour behaviour;
    final Envelopes envelopes;
    final InboundPipeline inbound;
    private final DigestRecordingStateMachine service;
    private final OutboundPipeline outboundPipeline;
    private final PreparedSlots prepared;
    private EffectsCarrier carrier;
    private FrameSink frames;
    private final StateTransfer transfer;
    private final List<Execution> executed = new ArrayList<>();
    private final SortedMap<Long, ByteString> checkpointDigests = new TreeMap<>();
    private final List<ProtocolEvent> events = new ArrayList<>();
    private final Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    /** The time of the earliest wake-up event still queued for this replica, or NO_WAKE. */
    long pendingWakeMillis = NO_WAKE;
    /** Consecutive ticks after which the core asked to be ticked again without time passing. */
    int immediateTicks;

    SimReplica(int id, SimulationConfig config, StateMachine service, Behaviour behaviour, RequestCheck requests) {
        this.id = id;
        int n = config.replicaCount();
        ReplicaKeys keys = new SimulatedKeys(id, n);
        this.envelopes = new Envelopes(id, n, keys);
        this.core = new Replica(config.replicaConfig(id), envelopes, new CheckpointDigests());
        this.behaviour = behaviour;
        // The partitioned view executes, so its digest is the one state transfer checks.
        PartitionedStateMachine partitioned = PartitionedStateMachine.of(service);
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

    /** Connects the replica's effects to the network; {@code filter} applies its behaviour. */
    void connect(OutboundFilter filter, FrameSink frames, EffectsCarrier.ReplySink replies) {
        this.frames = frames;
        this.carrier = new EffectsCarrier(core, new StateMachineExecutor(service, transfer::checkpointExecuted),
                prepared, filter, outboundPipeline, frames, replies, events::add, transfer, Durability.NONE);
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

    List<Execution> executed() {
        return executed;
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
}
