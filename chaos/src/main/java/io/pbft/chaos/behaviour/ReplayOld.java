package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica that, from {@code fromMillis} on, sends nothing new but replays what it sent before:
 * for each message its core asks it to send, a few old ones picked at random, signed as they were.
 * As a primary it forces a view change and then floods the new view with messages of the old one,
 * which must count for nothing.
 */
final class ReplayOld implements Behaviour {

    /** Old messages kept to replay; the oldest go first beyond this. */
    private static final int KEPT = 256;
    private static final int REPLAYED_PER_MESSAGE = 3;

    private final long fromMillis;
    private final List<Outbound> sent = new ArrayList<>();

    ReplayOld(long fromMillis) {
        this.fromMillis = fromMillis;
    }

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        if (context.nowMillis() < fromMillis) {
            if (sent.size() == KEPT) {
                sent.remove(0);
            }
            sent.add(outbound);
            return List.of(outbound);
        }
        List<Outbound> replayed = new ArrayList<>(REPLAYED_PER_MESSAGE);
        for (int i = 0; i < REPLAYED_PER_MESSAGE && !sent.isEmpty(); i++) {
            replayed.add(sent.get(context.random().nextInt(sent.size())));
        }
        return replayed;
    }

    @Override
    public List<Reply> onReply(BehaviourContext context, Reply reply) {
        return context.nowMillis() < fromMillis ? List.of(reply) : List.of();
    }

    @Override
    public String toString() {
        return "replay-old@" + fromMillis;
    }
}
