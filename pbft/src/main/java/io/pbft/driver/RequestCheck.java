package io.pbft.driver;

import io.pbft.core.message.Request;
import java.util.List;

/**
 * Whether this replica can authenticate requests that reach it inside replica messages. The node
 * checks its own MAC entry of each request and, where that fails, the client's signature
 * ({@link ClientRequestCheck}); the simulator models the outcome instead.
 */
public interface RequestCheck {

    /**
     * For a pre-prepare's batch: whether every request is authentic, by this replica's MAC entry
     * or by its client's signature.
     */
    boolean authentic(List<Request> batch);

    /**
     * For a request this replica may propose as primary (one a backup forwarded): whether its
     * client's signature verifies. A MAC is not enough here, since the other replicas could not
     * check it: that is how a faulty client made batches that could not prepare.
     */
    boolean signed(Request request);
}
