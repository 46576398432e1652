package io.pbft.core;

import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import java.util.ArrayList;
import java.util.List;

/** Collects the effects of one input; each concern of the core appends to the same builder. */
final class EffectsBuilder {

    private final List<Outbound> messages = new ArrayList<>();
    private final List<Execution> executions = new ArrayList<>();
    private final List<Reply> replies = new ArrayList<>();
    private long wakeAtMillis = Effects.NO_WAKEUP;

    void broadcast(ReplicaMessage message) {
        messages.add(Outbound.broadcast(message));
    }

    void send(int replica, ReplicaMessage message) {
        messages.add(Outbound.to(replica, message));
    }

    void execute(Execution execution) {
        executions.add(execution);
    }

    void reply(Reply reply) {
        replies.add(reply);
    }

    void wakeAt(long millis) {
        wakeAtMillis = Math.min(wakeAtMillis, millis);
    }

    Effects build() {
        if (messages.isEmpty() && executions.isEmpty() && replies.isEmpty() && wakeAtMillis == Effects.NO_WAKEUP) {
            return Effects.NONE;
        }
        return new Effects(messages, executions, replies, wakeAtMillis);
    }
}
