package io.pbft.execution;

import com.google.protobuf.ByteString;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Outbound;
import io.pbft.core.PreparedSlot;
import io.pbft.core.ProtocolEvent;
import io.pbft.core.Replica;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes committed batches synchronously, in order, and reports each back to the core. The
 * state machine is the service author's code; an exception from it is logged and answered with an
 * empty result rather than allowed to stop the replica.
 */
public final class StateMachineExecutor {

    private static final Logger log = LoggerFactory.getLogger(StateMachineExecutor.class);

    private final StateMachine stateMachine;

    public StateMachineExecutor(StateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    /** The effects left once every execution was carried out, and the executions themselves, in order. */
    public record Drained(Effects effects, List<Execution> executed) {}

    /**
     * Carries out every execution in {@code effects}, and any that reporting them produces, and
     * returns the remaining effects (messages, replies, wake-up) of the whole chain.
     */
    public Drained drain(Replica replica, Effects effects, long nowMillis) {
        if (effects.executions().isEmpty()) {
            return new Drained(effects, List.of());
        }
        List<Outbound> messages = new ArrayList<>(effects.messages());
        List<Reply> replies = new ArrayList<>(effects.replies());
        List<PreparedSlot> preparedSlots = new ArrayList<>(effects.preparedSlots());
        List<ProtocolEvent> events = new ArrayList<>(effects.events());
        long wakeAtMillis = effects.wakeAtMillis();
        List<Execution> executed = new ArrayList<>();
        ArrayDeque<Execution> queue = new ArrayDeque<>(effects.executions());
        while (!queue.isEmpty()) {
            Execution execution = queue.poll();
            List<ByteString> results = new ArrayList<>(execution.requests().size());
            for (Request request : execution.requests()) {
                results.add(ByteString.copyFrom(run(request)));
            }
            ByteString digest = execution.checkpoint()
                    ? ByteString.copyFrom(stateMachine.stateDigest())
                    : ByteString.EMPTY;
            executed.add(execution);
            Effects next = replica.onExecuted(execution.sequence(), results, digest, nowMillis);
            messages.addAll(next.messages());
            replies.addAll(next.replies());
            preparedSlots.addAll(next.preparedSlots());
            events.addAll(next.events());
            queue.addAll(next.executions());
            // Later effects supersede the wake-up of earlier ones: the core's timers only move forward.
            wakeAtMillis = next.wakeAtMillis();
        }
        return new Drained(new Effects(messages, List.of(), replies, preparedSlots, events, wakeAtMillis), executed);
    }

    private byte[] run(Request request) {
        try {
            return stateMachine.execute(request.operation().toByteArray());
        } catch (RuntimeException e) {
            log.error("state machine threw on request {} of client {}; replying with an empty result",
                    request.timestamp(), request.clientId(), e);
            return new byte[0];
        }
    }
}
