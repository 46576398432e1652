package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import java.util.List;

/**
 * A replica that votes both ways: from {@code fromMillis} on, each prepare, commit and checkpoint it
 * broadcasts goes as it is to a random part of its peers and with another digest, validly
 * authenticated, to the rest. One such voter among 3f + 1 must never make two correct replicas
 * prepare, commit or hold stable two different things.
 */
record EquivocateVotes(long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (context.nowMillis() < fromMillis || !outbound.isBroadcast()) {
            return List.of(outbound);
        }
        ReplicaMessage lie = lie(outbound.message());
        if (lie == null) {
            return List.of(outbound);
        }
        return Forgery.split(context, outbound, Forgery.replacing(context, outbound, lie));
    }

    /** The vote with another digest, or null for a message that is no vote. */
    private static ReplicaMessage lie(ReplicaMessage message) {
        if (message instanceof Prepare prepare) {
            return new Prepare(prepare.view(), prepare.sequence(), Forgery.flipped(prepare.batchDigest()),
                    prepare.replica());
        }
        if (message instanceof Commit commit) {
            return new Commit(commit.view(), commit.sequence(), Forgery.flipped(commit.batchDigest()), commit.replica());
        }
        if (message instanceof Checkpoint checkpoint) {
            return new Checkpoint(checkpoint.sequence(), Forgery.flipped(checkpoint.stateDigest()), checkpoint.replica());
        }
        return null;
    }

    @Override
    public String toString() {
        return "equivocate-votes" + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
