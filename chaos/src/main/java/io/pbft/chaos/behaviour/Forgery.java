package io.pbft.chaos.behaviour;

import com.google.protobuf.ByteString;
import io.pbft.core.Outbound;
import io.pbft.core.message.ReplicaMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What lying behaviours share: a digest that is plausible but wrong, a message re-authenticated as
 * its replica would send it (signed if it enters certificates, for the driver to MAC otherwise),
 * and a broadcast split so that each peer gets, at random, the truth or the lie.
 */
final class Forgery {

    private Forgery() {}

    /** The same bytes with the last one changed; empty stays empty. */
    static ByteString flipped(ByteString bytes) {
        if (bytes.isEmpty()) {
            return bytes;
        }
        byte[] copy = bytes.toByteArray();
        copy[copy.length - 1] ^= 0x5a;
        return ByteString.copyFrom(copy);
    }

    /** {@code lie}, sent where {@code original} went, authenticated as its replica would. */
    static Outbound replacing(BehaviourContext context, Outbound original, ReplicaMessage lie) {
        Outbound forged = original.isSigned() ? Outbound.to(original.destination(), context.signer().sign(lie))
                : Outbound.to(original.destination(), lie);
        return original.isBroadcast() ? forged.redirectedTo(Outbound.ALL_OTHERS) : forged;
    }

    /**
     * {@code original}, a broadcast, split per peer: each gets at random {@code original} or {@code
     * lie}; each is well-formed on its own, only comparing them shows the equivocation.
     */
    static List<Outbound> split(BehaviourContext context, Outbound original, Outbound lie) {
        List<Outbound> split = new ArrayList<>();
        for (int peer = 0; peer < context.replicaCount(); peer++) {
            if (peer != context.replica()) {
                split.add(context.random().nextBoolean() ? original.redirectedTo(peer) : lie.redirectedTo(peer));
            }
        }
        return split;
    }
}
