package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica whose messages never reach replica {@code peer} from {@code fromMillis} on (a broken
 * link, or a primary that leaves one backup out on purpose); everyone else hears it as a correct
 * replica.
 */
record MuteTo(int peer, long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (context.nowMillis() < fromMillis || (!outbound.isBroadcast() && outbound.destination() != peer)) {
            return List.of(outbound);
        }
        if (!outbound.isBroadcast()) {
            return List.of();
        }
        List<Outbound> others = new ArrayList<>();
        for (int to = 0; to < context.replicaCount(); to++) {
            if (to != peer && to != context.replica()) {
                others.add(outbound.redirectedTo(to));
            }
        }
        return others;
    }

    @Override
    public String toString() {
        return "mute-to:" + peer + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
