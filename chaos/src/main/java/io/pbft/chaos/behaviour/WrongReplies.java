package io.pbft.chaos.behaviour;

import com.google.protobuf.ByteString;
import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.List;

/**
 * A replica that agrees honestly but, from {@code fromMillis} on, tells every client a wrong
 * result, authenticated as its own. A client must accept only a result f + 1 replicas agree on, so
 * these change nothing a client sees.
 */
record WrongReplies(long fromMillis) implements Behaviour {

    @Override
    public List<Outbound> onOutbound(BehaviourContext context, Outbound outbound) {
        return List.of(outbound);
    }

    @Override
    public List<Reply> onReply(BehaviourContext context, Reply reply) {
        if (context.nowMillis() < fromMillis) {
            return List.of(reply);
        }
        ByteString wrong = reply.result().isEmpty() ? ByteString.copyFromUtf8("wrong") : Forgery.flipped(reply.result());
        return List.of(new Reply(reply.view(), reply.clientId(), reply.timestamp(), reply.replica(), wrong));
    }

    @Override
    public String toString() {
        return "wrong-replies" + (fromMillis == 0 ? "" : "@" + fromMillis);
    }
}
