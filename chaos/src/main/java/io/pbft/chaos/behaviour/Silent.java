package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.List;

/**
 * A replica that stops sending anything from {@code fromMillis} on: a crash, a process paused for
 * good, or a primary cut off from everyone. Before that it is correct in all it sends.
 */
record Silent(long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        return context.nowMillis() >= fromMillis ? List.of() : List.of(outbound);
    }

    @Override
    public List<Reply> onReply(BehaviourContext context, Reply reply) {
        return context.nowMillis() >= fromMillis ? List.of() : List.of(reply);
    }

    @Override
    public String toString() {
        return fromMillis == 0 ? "silent" : "silent from " + fromMillis + " ms";
    }
}
