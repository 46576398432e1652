package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import java.util.List;

/**
 * A primary that tells backups different stories: from {@code fromMillis} on, every pre-prepare it
 * broadcasts goes as it is to a random part of the backups and, to the rest, a conflicting one for
 * the same view and sequence number (its batch without the last request), validly signed. Each is
 * well-formed on its own; only comparing them shows the lie.
 */
record Equivocate(long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (context.nowMillis() < fromMillis || !outbound.isBroadcast()
                || !(outbound.message() instanceof PrePrepare prePrepare)) {
            return List.of(outbound);
        }
        List<Request> otherBatch = outbound.batch().subList(0, Math.max(0, outbound.batch().size() - 1));
        // At the same agreed time, so that only the batch differs: equivocation, not a bad clock.
        long time = prePrepare.timestampMillis();
        Signed<PrePrepare> other = context.signer().sign(new PrePrepare(prePrepare.view(), prePrepare.sequence(),
                PrePrepare.digestOf(time, otherBatch), prePrepare.replica(), time));
        return Forgery.split(context, outbound, Outbound.broadcast(other, otherBatch));
    }

    @Override
    public String toString() {
        return "equivocate" + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
