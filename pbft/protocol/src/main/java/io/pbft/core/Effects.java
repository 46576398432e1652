package io.pbft.core;

import io.pbft.core.message.Reply;
import io.pbft.core.message.StableCheckpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the core asks of its driver after one input. The driver sends {@code messages},
 * executes {@code executions} in order (reporting each back), then answers {@code queries} from the
 * state they left (read-only requests, never ordered), delivers {@code replies}, and calls
 * {@link Replica#onTick} no later than {@code wakeAtMillis}. {@code preparedSlots} tells it which
 * prepares it may drop unchecked; {@code events} are for its log. {@code checkpointsTaken} are
 * checkpoints to keep and serve; {@code stateToFetch} (at most one) is a stable checkpoint beyond
 * this replica's state, to fetch from peers and report with {@link Replica#onStateInstalled}.
 *
 * <p>{@code durable} must be durable before any of {@code messages} leaves (see {@link
 * DurableRecord}): a driver with a log appends them, syncs once, then sends. A driver without one
 * ignores them, and its replica must not be restarted with the same identity.
 */
public record Effects(List<DurableRecord> durable, List<Outbound> messages, List<Execution> executions,
        List<Reply> replies, List<PreparedSlot> preparedSlots, List<ProtocolEvent> events,
        List<CheckpointTaken> checkpointsTaken, List<StableCheckpoint> stateToFetch, long wakeAtMillis,
        List<Query> queries) {

    public static final long NO_WAKEUP = Long.MAX_VALUE;

    public static final Effects NONE =
            new Effects(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                    NO_WAKEUP);

    public Effects {
        durable = List.copyOf(durable);
        messages = List.copyOf(messages);
        executions = List.copyOf(executions);
        replies = List.copyOf(replies);
        preparedSlots = List.copyOf(preparedSlots);
        events = List.copyOf(events);
        checkpointsTaken = List.copyOf(checkpointsTaken);
        stateToFetch = List.copyOf(stateToFetch);
        queries = List.copyOf(queries);
    }

    /** Effects without read-only queries. */
    public Effects(List<DurableRecord> durable, List<Outbound> messages, List<Execution> executions, List<Reply> replies,
            List<PreparedSlot> preparedSlots, List<ProtocolEvent> events, List<CheckpointTaken> checkpointsTaken,
            List<StableCheckpoint> stateToFetch, long wakeAtMillis) {
        this(durable, messages, executions, replies, preparedSlots, events, checkpointsTaken, stateToFetch, wakeAtMillis,
                List.of());
    }

    public boolean isEmpty() {
        return durable.isEmpty() && messages.isEmpty() && executions.isEmpty() && replies.isEmpty() && preparedSlots.isEmpty()
                && events.isEmpty() && checkpointsTaken.isEmpty() && stateToFetch.isEmpty() && queries.isEmpty();
    }

    /**
     * These effects without their executions, followed by {@code next}'s without its executions: for
     * a driver that carries out the executions itself and reports each. The wake-up is {@code
     * next}'s, since the core's timers only move forward.
     */
    public Effects withoutExecutionsFollowedBy(Effects next) {
        return new Effects(concat(durable, next.durable), concat(messages, next.messages), List.of(), concat(replies, next.replies),
                concat(preparedSlots, next.preparedSlots), concat(events, next.events),
                concat(checkpointsTaken, next.checkpointsTaken), concat(stateToFetch, next.stateToFetch),
                next.wakeAtMillis, concat(queries, next.queries));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        if (second.isEmpty()) {
            return first;
        }
        List<T> both = new ArrayList<>(first.size() + second.size());
        both.addAll(first);
        both.addAll(second);
        return both;
    }
}
