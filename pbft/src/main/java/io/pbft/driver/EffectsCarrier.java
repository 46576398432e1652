package io.pbft.driver;

import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Outbound;
import io.pbft.core.PreparedSlot;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.Replica;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.StateChunk;
import io.pbft.driver.state.FetchStats;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.driver.state.StateFetcher;
import io.pbft.driver.state.StateTransfer;
import io.pbft.execution.StateMachineExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a core's effects, the one place that does, for the node and the simulator alike:
 * executes committed batches (reporting each back to the core, which may commit more), tells the
 * inbound checks which slots are prepared, passes each outbound message through the replica's
 * {@link OutboundFilter} and sends it as frames, delivers the replies, reports the protocol
 * events, and hands the checkpoints taken and the state to fetch to the replica's {@link
 * StateTransfer}, reporting a fetched state to the core. Runs on the core's thread.
 *
 * <p>What the core's messages promise goes to the replica's {@link Durability} first: once an
 * input appended a promise, nothing leaves (messages, replies, in the order they were made) until
 * the next sync, at the end of the input or, with {@link #deferSyncs}, at the driver's {@link
 * #flush} after the inputs at hand.
 */
public final class EffectsCarrier {

    /** Where replies to clients go. */
    @FunctionalInterface
    public interface ReplySink {
        void deliver(Reply reply);
    }

    /** Where protocol events go: the node logs them, the simulator records them. */
    @FunctionalInterface
    public interface EventSink {
        void on(ProtocolEvent event);
    }

    /** What carrying out one input's effects came to: the batches executed, and when to tick the core next. */
    public record Carried(List<Execution> executed, long wakeAtMillis) {}

    private static final Logger log = LoggerFactory.getLogger(EffectsCarrier.class);

    private final Replica replica;
    private final StateMachineExecutor executor;
    private final PreparedSlots prepared;
    private final OutboundFilter filter;
    private final OutboundPipeline outbound;
    private final FrameSink frames;
    private final ReplySink replies;
    private final EventSink events;
    private final StateTransfer transfer;
    private final Durability durability;
    private boolean deferSyncs;
    /** A promise was appended and not synced yet: what would leave now waits for the sync. */
    private boolean syncDue;
    private final List<Outbound> heldMessages = new ArrayList<>();
    private final List<Reply> heldReplies = new ArrayList<>();

    /**
     * @param transfer the replica's state transfer, whose {@link StateTransfer#checkpointExecuted} the
     *     executor calls at every checkpoint
     * @param durability where what the core's messages promise is made durable before they leave
     */
    public EffectsCarrier(Replica replica, StateMachineExecutor executor, PreparedSlots prepared, OutboundFilter filter,
            OutboundPipeline outbound, FrameSink frames, ReplySink replies, EventSink events, StateTransfer transfer,
            Durability durability) {
        this.replica = replica;
        this.durability = durability;
        this.transfer = transfer;
        this.executor = executor;
        this.prepared = prepared;
        this.filter = filter;
        this.outbound = outbound;
        this.frames = frames;
        this.replies = replies;
        this.events = events;
    }

    /**
     * From now on, messages and replies that wait for a sync leave only at {@link #flush}, which
     * the driver calls once it has applied the inputs at hand: one sync then serves them all (group
     * commit). Without it, every input that appends a promise is synced and sent on its own.
     */
    public void deferSyncs() {
        deferSyncs = true;
    }

    public Carried carryOut(Effects effects, long nowMillis) {
        StateMachineExecutor.Drained drained = executor.drain(replica, effects, nowMillis);
        Effects rest = drained.effects();
        if (durability.keepsAnything()) {
            durability.append(rest.durable());
            for (DurableRecord record : rest.durable()) {
                syncDue |= record.isPromise(); // then nothing leaves before the sync, in the order it was made
            }
        }
        for (PreparedSlot slot : rest.preparedSlots()) {
            prepared.markPrepared(slot.view(), slot.sequence());
        }
        rest.messages().forEach(this::send);
        for (Reply reply : rest.replies()) {
            if (syncDue) {
                heldReplies.add(reply);
            } else {
                deliver(reply);
            }
        }
        for (ProtocolEvent event : rest.events()) {
            events.on(event);
        }
        sendRequests(transfer.onEffects(rest, replica.lowWatermark(), nowMillis));
        for (CheckpointTaken taken : rest.checkpointsTaken()) {
            transfer.kept(taken.sequence()).ifPresent(kept -> durability.checkpointKept(taken, kept));
        }
        sendRequests(transfer.onTick(nowMillis));
        Carried carried = installIfFetched(new Carried(drained.executed(), wakeAt(rest.wakeAtMillis())), nowMillis);
        if (!deferSyncs) {
            flush();
        }
        return carried;
    }

    /** Whether messages or replies wait for a sync: the driver should {@link #flush} soon. */
    public boolean hasHeld() {
        return syncDue;
    }

    /** Syncs what was appended, then sends what waited for it, in the order it was made. */
    public void flush() {
        if (!syncDue) {
            return;
        }
        durability.sync();
        syncDue = false;
        for (Outbound message : heldMessages) {
            sendNow(message);
        }
        heldMessages.clear();
        for (Reply reply : heldReplies) {
            deliver(reply);
        }
        heldReplies.clear();
    }

    /**
     * A state-transfer message from replica {@code from}, which the inbound checks authenticated: a
     * request is answered from the checkpoints kept, an answer goes to the fetch under way.
     */
    public Carried onStateTransfer(int from, ReplicaMessage message, long nowMillis) {
        if (message instanceof FetchState fetch) {
            transfer.onFetch(from, fetch).ifPresent(answer -> send(Outbound.to(from, answer)));
        } else if (message instanceof StateChunk chunk) {
            sendRequests(transfer.onChunk(from, chunk, nowMillis));
        }
        return installIfFetched(new Carried(List.of(), wakeAt(Effects.NO_WAKEUP)), nowMillis);
    }

    /** What the replica's state transfer fetched since it started, for the metrics. */
    public FetchStats fetchedTotal() {
        return transfer.fetchedTotal();
    }

    /** Whether {@code message} belongs to state transfer, which {@link #onStateTransfer} takes, not the core. */
    public static boolean isStateTransfer(ReplicaMessage message) {
        return message instanceof FetchState || message instanceof StateChunk;
    }

    /** Once a fetch completed, the core learns the state is installed, and what it then asks is carried out too. */
    private Carried installIfFetched(Carried carried, long nowMillis) {
        Optional<StateFetcher.Installed> installed = transfer.takeCompleted();
        if (installed.isEmpty()) {
            return carried;
        }
        StateFetcher.Installed state = installed.get();
        ServedCheckpoint current = transfer.frozen(state.sequence(), state.clientTable());
        try {
            durability.stateInstalled(new CheckpointTaken(state.sequence(), state.digest(), state.clientTable()), current);
        } finally {
            current.close();
        }
        Carried after = carryOut(replica.onStateInstalled(state.sequence(), state.digest(), state.clientTable(),
                nowMillis), nowMillis);
        List<Execution> executed = new ArrayList<>(carried.executed());
        executed.addAll(after.executed());
        return new Carried(executed, Math.min(carried.wakeAtMillis(), after.wakeAtMillis()));
    }

    private long wakeAt(long coreWakeAtMillis) {
        return Math.min(coreWakeAtMillis, transfer.nextDeadlineMillis().orElse(Effects.NO_WAKEUP));
    }

    private void sendRequests(List<StateFetcher.Outgoing> requests) {
        for (StateFetcher.Outgoing request : requests) {
            send(Outbound.to(request.to(), request.message()));
        }
    }

    private void send(Outbound message) {
        if (syncDue) {
            heldMessages.add(message);
        } else {
            sendNow(message);
        }
    }

    /**
     * The filter sees a message only as it leaves, after the sync it waited for: what a filter
     * observes (a simulation's checks) or does must be what actually left the process.
     */
    private void sendNow(Outbound original) {
        for (Outbound message : filter.onOutbound(original)) {
            if (!outbound.send(message, frames)) {
                log.warn("replica {}: core addressed a message to replica {}, not a peer", replica.id(),
                        message.destination());
            }
        }
    }

    private void deliver(Reply original) {
        for (Reply reply : filter.onReply(original)) {
            replies.deliver(reply);
        }
    }

    /** Logs a protocol event once, at INFO (a view change, a new view, a state installed, a recovery) or ERROR (a divergent state). */
    public static void log(int replica, ProtocolEvent event) {
        if (event instanceof ProtocolEvent.ViewChangeStarted started) {
            log.info("replica {}: leaving its view for view {} ({})", replica, started.newView(),
                    describe(started.cause()));
        } else if (event instanceof ProtocolEvent.NewViewEntered entered) {
            log.info("replica {}: entered view {}, primary {}, {} sequence numbers carried over", replica,
                    entered.view(), entered.primary(), entered.reissued());
        } else if (event instanceof ProtocolEvent.StateInstalled installed) {
            log.info("replica {}: installed the state of stable checkpoint {}, fetched from its peers", replica,
                    installed.sequence());
        } else if (event instanceof ProtocolEvent.StateRepaired repaired) {
            log.warn("replica {}: replaced its divergent state with the state of stable checkpoint {} fetched from its"
                    + " peers, and executes again from there", replica, repaired.sequence());
        } else if (event instanceof ProtocolEvent.Recovered recovered) {
            log.info("replica {}: recovered from its disk ({} log records): view {}{}, state as of sequence number {}",
                    replica, recovered.records(), recovered.view(), recovered.active() ? "" : " (waiting for its new view)",
                    recovered.lastExecuted());
        } else if (event instanceof ProtocolEvent.CheckpointDiverged diverged) {
            log.error("replica {}: its state at checkpoint {} differs from the one 2f + 1 replicas certified;"
                    + " it stops voting on checkpoints and fetches the certified state", replica, diverged.sequence());
        }
    }

    private static String describe(ProtocolEvent.ViewChangeCause cause) {
        return switch (cause) {
            case REQUEST_TIMEOUT -> "a request it knows of did not execute in time";
            case NO_PROGRESS -> "a batch it accepted did not execute in time";
            case SLOW_PRIMARY -> "f + 1 replicas found its primary ordering many times slower than the network allows";
            case NEW_VIEW_TIMEOUT -> "the new view did not arrive in time";
            case JOINED_OTHERS -> "f + 1 replicas moved on";
            case JOINED_WHILE_IDLE -> "a replica voted alone while the cluster was idle";
        };
    }
}
