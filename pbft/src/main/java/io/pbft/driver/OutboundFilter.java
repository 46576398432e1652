package io.pbft.driver;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import java.util.List;

/**
 * The seam between a core's effects and the wire, where a test or chaos run makes a replica
 * Byzantine: it may drop, duplicate, alter or split what the core asked to send. A correct replica
 * uses {@link #IDENTITY}. The core itself never has a test mode.
 */
public interface OutboundFilter {

    OutboundFilter IDENTITY = new OutboundFilter() {
        @Override
        public List<Outbound> onOutbound(Outbound outbound) {
            return List.of(outbound);
        }

        @Override
        public List<Reply> onReply(Reply reply) {
            return List.of(reply);
        }
    };

    /** The messages to send in place of {@code outbound}. */
    List<Outbound> onOutbound(Outbound outbound);

    /** The replies to send in place of {@code reply}. */
    List<Reply> onReply(Reply reply);
}
