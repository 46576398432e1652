package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.List;

/** The identity behaviour of a correct replica. */
final class Honest implements Behaviour {

    static final Honest INSTANCE = new Honest();

    private Honest() {}

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        return List.of(outbound);
    }

    @Override
    public List<Reply> onReply(BehaviourContext context, Reply reply) {
        return List.of(reply);
    }

    @Override
    public boolean isCorrect() {
        return true;
    }

    @Override
    public String toString() {
        return "honest";
    }
}
