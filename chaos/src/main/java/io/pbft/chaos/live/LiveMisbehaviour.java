package io.pbft.chaos.live;

import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.chaos.behaviour.BehaviourContext;
import io.pbft.chaos.behaviour.Behaviours;
import io.pbft.core.MessageSigner;
import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import io.pbft.driver.OutboundFilter;
import io.pbft.node.Misbehaviour;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The simulator's Byzantine behaviours in a live replica ({@code replica --misbehave SPEC}): the same
 * classes, given the replica's signer, a random source of their own, and the time since the replica
 * started as their clock (so {@code silent@5000} falls silent five seconds after start). Behaviours
 * that need the simulator's help cannot run live: {@code slow} holds messages back, which the
 * simulator schedules, and {@code twin} needs a second process.
 */
public final class LiveMisbehaviour implements Misbehaviour {

    private static final Set<String> SIMULATOR_ONLY = Set.of("slow", Behaviours.TWIN);

    @Override
    public boolean knows(String spec) {
        String name = Behaviours.name(spec);
        if (SIMULATOR_ONLY.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' runs only in the simulator");
        }
        try {
            Behaviours.parse(spec); // a malformed spec fails here, with its reason
        } catch (Behaviours.UnknownBehaviourException e) {
            return false;
        }
        return !name.equals("honest");
    }

    @Override
    public OutboundFilter filter(String spec, int replica, int replicaCount, MessageSigner signer) {
        Behaviour behaviour = Behaviours.parse(spec);
        Random random = new Random();
        long startNanos = System.nanoTime();
        return new OutboundFilter() {
            private BehaviourContext context() {
                return new BehaviourContext(replica, replicaCount, (System.nanoTime() - startNanos) / 1_000_000,
                        random, signer);
            }

            @Override
            public List<Outbound> onOutbound(Outbound outbound) {
                return behaviour.onOutbound(context(), outbound);
            }

            @Override
            public List<Reply> onReply(Reply reply) {
                return behaviour.onReply(context(), reply);
            }
        };
    }

    @Override
    public String known() {
        return Behaviours.NAMES + " (all but slow and twin)";
    }
}
