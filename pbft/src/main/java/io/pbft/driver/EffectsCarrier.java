package io.pbft.driver;

import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Outbound;
import io.pbft.core.PreparedSlot;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.Replica;
import io.pbft.core.message.Reply;
import io.pbft.execution.StateMachineExecutor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a core's effects, the one place that does, for the node and the simulator alike:
 * executes committed batches (reporting each back to the core, which may commit more), tells the
 * inbound checks which slots are prepared, passes each outbound message through the replica's
 * {@link OutboundFilter} and sends it as frames, delivers the replies, and reports the protocol
 * events. Runs on the core's thread.
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

    public EffectsCarrier(Replica replica, StateMachineExecutor executor, PreparedSlots prepared, OutboundFilter filter,
            OutboundPipeline outbound, FrameSink frames, ReplySink replies, EventSink events) {
        this.replica = replica;
        this.executor = executor;
        this.prepared = prepared;
        this.filter = filter;
        this.outbound = outbound;
        this.frames = frames;
        this.replies = replies;
        this.events = events;
    }

    public Carried carryOut(Effects effects, long nowMillis) {
        StateMachineExecutor.Drained drained = executor.drain(replica, effects, nowMillis);
        Effects rest = drained.effects();
        for (PreparedSlot slot : rest.preparedSlots()) {
            prepared.markPrepared(slot.view(), slot.sequence());
        }
        for (Outbound original : rest.messages()) {
            for (Outbound message : filter.onOutbound(original)) {
                if (!outbound.send(message, frames)) {
                    log.warn("replica {}: core addressed a message to replica {}, not a peer", replica.id(),
                            message.destination());
                }
            }
        }
        for (Reply original : rest.replies()) {
            for (Reply reply : filter.onReply(original)) {
                replies.deliver(reply);
            }
        }
        for (ProtocolEvent event : rest.events()) {
            events.on(event);
        }
        return new Carried(drained.executed(), rest.wakeAtMillis());
    }

    /** Logs a protocol event once, at INFO (a view change, a new view) or ERROR (a divergent state). */
    public static void log(int replica, ProtocolEvent event) {
        if (event instanceof ProtocolEvent.ViewChangeStarted started) {
            log.info("replica {}: leaving its view for view {} ({})", replica, started.newView(),
                    describe(started.cause()));
        } else if (event instanceof ProtocolEvent.NewViewEntered entered) {
            log.info("replica {}: entered view {}, primary {}, {} sequence numbers carried over", replica,
                    entered.view(), entered.primary(), entered.reissued());
        } else if (event instanceof ProtocolEvent.CheckpointDiverged diverged) {
            log.error("replica {}: its state at checkpoint {} differs from the one 2f + 1 replicas certified;"
                    + " it stops voting on checkpoints (state transfer will repair it)", replica, diverged.sequence());
        }
    }

    private static String describe(ProtocolEvent.ViewChangeCause cause) {
        return switch (cause) {
            case REQUEST_TIMEOUT -> "a request it knows of did not execute in time";
            case NO_PROGRESS -> "a batch it accepted did not execute in time";
            case SLOW_PRIMARY -> "its primary orders requests many times slower than recent primaries did";
            case NEW_VIEW_TIMEOUT -> "the new view did not arrive in time";
            case JOINED_OTHERS -> "f + 1 replicas moved on";
        };
    }
}
