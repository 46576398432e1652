package io.pbft.chaos.behaviour;

import io.pbft.core.Outbound;
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
    public boolean isCorrect() {
        return true;
    }

    @Override
    public String toString() {
        return "honest";
    }
}
