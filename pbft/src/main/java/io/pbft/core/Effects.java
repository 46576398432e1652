package io.pbft.core;

import io.pbft.core.message.Reply;
import java.util.List;

/**
 * Everything the core asks of its driver after one input. The driver sends {@code messages},
 * executes {@code executions} in order (reporting each back), delivers {@code replies}, and calls
 * {@link Replica#onTick} no later than {@code wakeAtMillis}. {@code preparedSlots} tells it which
 * prepares it may drop unchecked; {@code events} are for its log.
 */
public record Effects(List<Outbound> messages, List<Execution> executions, List<Reply> replies,
        List<PreparedSlot> preparedSlots, List<ProtocolEvent> events, long wakeAtMillis) {

    public static final long NO_WAKEUP = Long.MAX_VALUE;

    public static final Effects NONE = new Effects(List.of(), List.of(), List.of(), List.of(), List.of(), NO_WAKEUP);

    public Effects {
        messages = List.copyOf(messages);
        executions = List.copyOf(executions);
        replies = List.copyOf(replies);
        preparedSlots = List.copyOf(preparedSlots);
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return messages.isEmpty() && executions.isEmpty() && replies.isEmpty() && preparedSlots.isEmpty()
                && events.isEmpty();
    }
}
