package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.List;

/**
 * What a replica does with what its core asks it to send: the seam between a replica's
 * {@link io.pbft.core.Effects} and the simulated network where Byzantine behaviour lives. A
 * behaviour may drop, duplicate, alter or split (equivocate) outgoing messages and replies; it
 * cannot make the network forge another sender, because the network stamps every message with the
 * replica that handed it over. The core itself never has a test mode.
 *
 * <p>Called on the simulator's single thread; randomness must come from {@link
 * BehaviourContext#random()} so a run stays reproducible from its seed. A behaviour may also hold
 * messages back for a while ({@link #holdMillis}), which the simulator schedules.
 */
public interface Behaviour {

    /** The messages to hand to the network in place of {@code outbound}. */
    List<Outbound> onOutbound(BehaviourContext context, Outbound outbound);

    /**
     * How long to hold {@code outbound} (one of what {@link #onOutbound} returned) before handing it
     * to the network: a replica that is slow on purpose. By default, not at all.
     */
    default long holdMillis(BehaviourContext context, Outbound outbound) {
        return 0;
    }

    /** The replies to hand to the network in place of {@code reply}: by default, just it. */
    default List<Reply> onReply(BehaviourContext context, Reply reply) {
        return List.of(reply);
    }

    /**
     * Whether the replica counts as correct for the checkers: only {@link #honest()} does; any
     * other behaviour, however mild, makes its replica one of the f faulty ones.
     */
    default boolean isCorrect() {
        return false;
    }

    /** A correct replica: sends exactly what its core asked for. */
    static Behaviour honest() {
        return Honest.INSTANCE;
    }

    /** Sends nothing from {@code fromMillis} of simulated time on (a crash, or a pause that never ends). */
    static Behaviour silentFrom(long fromMillis) {
        return new Silent(fromMillis);
    }
}
