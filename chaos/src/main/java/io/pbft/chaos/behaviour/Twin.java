package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import java.util.List;

/**
 * One of two honest processes that share a replica's identity and keys (Twins, Bano et al. 2020).
 * Each sends what its own core asks, unaltered; the fault is that there are two of them, which the
 * simulator arranges ({@code Behaviours.TWIN}). Faulty for the checkers, as any non-honest behaviour.
 */
record Twin() implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        return List.of(outbound);
    }

    @Override
    public String toString() {
        return Behaviours.TWIN;
    }
}
