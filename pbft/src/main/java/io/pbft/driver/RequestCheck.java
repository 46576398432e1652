package io.pbft.driver;

import io.pbft.core.message.Request;
import java.util.List;

/**
 * Whether this replica can authenticate requests that reach it inside replica messages (a
 * pre-prepare's batch, a forwarded request): its own MAC entry of each, under the session key it
 * shares with the client. The simulator models clients without sessions instead.
 */
@FunctionalInterface
public interface RequestCheck {

    boolean authentic(List<Request> requests);
}
