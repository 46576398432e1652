package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.PrePrepare;
import java.util.List;

/**
 * A primary that is correct in form and slow on purpose (the attack of Aardvark, NSDI 2009): from
 * {@code fromMillis} on it holds every pre-prepare {@code holdMillis} before sending it. Held just
 * under the request timeout, every request still executes before any backup's timer runs out, so
 * the request timer alone never replaces it while throughput falls by orders of magnitude.
 */
record SlowPrimary(long holdMillis, long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        return List.of(outbound);
    }

    @Override
    public long holdMillis(BehaviourContext context, Outbound outbound) {
        return context.nowMillis() >= fromMillis && outbound.message() instanceof PrePrepare ? holdMillis : 0;
    }

    @Override
    public String toString() {
        return "slow:" + holdMillis + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
