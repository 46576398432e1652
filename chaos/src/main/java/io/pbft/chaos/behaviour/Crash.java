package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica that crashes at {@code atMillis} in the middle of a broadcast: the first broadcast it
 * makes from then on reaches only some of its peers (a random, possibly empty, strict subset), and
 * after that it sends nothing. A primary crashing this way leaves a pre-prepare that some backups
 * have and others never will.
 */
final class Crash implements Behaviour {

    private final long atMillis;
    private boolean crashed;

    Crash(long atMillis) {
        this.atMillis = atMillis;
    }

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (crashed || context.nowMillis() < atMillis) {
            return crashed ? List.of() : List.of(outbound);
        }
        if (!outbound.isBroadcast()) {
            return List.of(outbound);
        }
        crashed = true;
        List<Outbound> reached = new ArrayList<>();
        for (int peer = 0; peer < context.replicaCount(); peer++) {
            if (peer != context.replica() && reached.size() < context.replicaCount() - 2 && context.random().nextBoolean()) {
                reached.add(outbound.redirectedTo(peer));
            }
        }
        return reached;
    }

    @Override
    public List<Reply> onReply(BehaviourContext context, Reply reply) {
        return crashed ? List.of() : List.of(reply);
    }

    @Override
    public String toString() {
        return "crash@" + atMillis;
    }
}
