package io.pbft.execution;

import com.google.protobuf.ByteString;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Query;
import io.pbft.core.Replica;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Executes committed batches synchronously, in order, and reports each back to the core. The
 * state machine is the service author's code; an exception from it ends the drain with a {@link
 * ServiceFailedException}, on which the driver stops the replica (the node stops; in the
 * simulator the run fails), as the {@code StateMachine} contract says: the exception is not turned
 * into a result, since a result is a vote that the replicas must agree on.
 */
public final class StateMachineExecutor {

    private final StateMachine stateMachine;
    private final LongConsumer checkpointExecuted;

    /**
     * @param checkpointExecuted called with the sequence number right after each checkpoint's
     *     execution and state digest, before anything later executes: where state transfer
     *     freezes the state it will serve
     */
    public StateMachineExecutor(StateMachine stateMachine, LongConsumer checkpointExecuted) {
        this.stateMachine = stateMachine;
        this.checkpointExecuted = checkpointExecuted;
    }

    /** The effects left once every execution was carried out, and the executions themselves, in order. */
    public record Drained(Effects effects, List<Execution> executed) {}

    /**
     * Carries out every execution in {@code effects}, and any that reporting them produces, and
     * returns the remaining effects (messages, replies, wake-up) of the whole chain.
     */
    public Drained drain(Replica replica, Effects effects, long nowMillis) {
        return answerQueries(executeAll(replica, effects, nowMillis));
    }

    private Drained executeAll(Replica replica, Effects effects, long nowMillis) {
        if (effects.executions().isEmpty()) {
            return new Drained(effects, List.of());
        }
        // Every report's effects follow those before it; the last report's wake-up is the one that holds.
        Effects rest = effects.withoutExecutionsFollowedBy(Effects.NONE);
        List<Execution> executed = new ArrayList<>();
        ArrayDeque<Execution> queue = new ArrayDeque<>(effects.executions());
        while (!queue.isEmpty()) {
            Execution execution = queue.poll();
            List<ByteString> results = new ArrayList<>(execution.requests().size());
            for (Request request : execution.requests()) {
                results.add(ByteString.copyFrom(run(execution, request)));
            }
            ByteString digest = ByteString.EMPTY;
            if (execution.checkpoint()) {
                digest = ByteString.copyFrom(stateMachine.stateDigest());
                checkpointExecuted.accept(execution.sequence());
            }
            executed.add(execution);
            Effects next = replica.onExecuted(execution.sequence(), results, digest, nowMillis);
            rest = rest.withoutExecutionsFollowedBy(next);
            queue.addAll(next.executions());
        }
        return new Drained(rest, executed);
    }

    /**
     * Answers the read-only requests after every execution of the chain, so from the state those
     * left; the replies follow the others.
     */
    private Drained answerQueries(Drained drained) {
        Effects effects = drained.effects();
        if (effects.queries().isEmpty()) {
            return drained;
        }
        List<Reply> replies = new ArrayList<>(effects.replies());
        for (Query query : effects.queries()) {
            Request request = query.request();
            byte[] result;
            try {
                result = stateMachine.query(request.operation().toByteArray());
            } catch (RuntimeException e) {
                throw ServiceFailedException.inQuery(request.clientId(), request.timestamp(), e);
            }
            replies.add(query.reply(ByteString.copyFrom(result)));
        }
        Effects answered = new Effects(effects.durable(), effects.messages(), effects.executions(), replies,
                effects.preparedSlots(), effects.events(), effects.checkpointsTaken(), effects.stateToFetch(),
                effects.wakeAtMillis());
        return new Drained(answered, drained.executed());
    }

    private byte[] run(Execution execution, Request request) {
        RequestContext context =
                new RequestContext(request.clientId(), execution.sequence(), execution.timestampMillis());
        try {
            // A request its client marked read-only is never ordered by a correct primary; one that a
            // faulty primary ordered all the same runs as the query it claims to be, so that a write
            // marked read-only changes nothing on any path.
            return request.readOnly()
                    ? stateMachine.query(request.operation().toByteArray())
                    : stateMachine.execute(request.operation().toByteArray(), context);
        } catch (RuntimeException e) {
            throw new ServiceFailedException(execution.sequence(), request.clientId(), request.timestamp(), e);
        }
    }
}
