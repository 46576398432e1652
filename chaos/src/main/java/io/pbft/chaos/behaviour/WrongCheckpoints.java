package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Checkpoint;
import java.util.List;

/**
 * A replica that, from {@code fromMillis} on, certifies a wrong state at every checkpoint, the same
 * wrong digest to everyone, validly signed. Its votes must count for nothing: checkpoints become
 * stable on the 2f + 1 others, and nobody fetches or installs the state it claims.
 */
record WrongCheckpoints(long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (context.nowMillis() < fromMillis || !(outbound.message() instanceof Checkpoint checkpoint)) {
            return List.of(outbound);
        }
        return List.of(Forgery.replacing(context, outbound, new Checkpoint(checkpoint.sequence(),
                Forgery.flipped(checkpoint.stateDigest()), checkpoint.replica())));
    }

    @Override
    public String toString() {
        return "wrong-checkpoints" + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
