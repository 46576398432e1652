package io.pbft.client;

import java.util.concurrent.TimeoutException;

/**
 * A sent request got no quorum of matching replies in time (2f + 1, or f + 1 without {@code
 * readOnlySafeWrites}): its outcome is unknown. Says what the
 * client saw, so that an operator can tell a dead primary from a partitioned client: how many
 * replicas replied, and how the primary looked from here.
 */
public final class RequestTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    private final String answers;

    RequestTimeoutException(long timestamp, int required, long timeoutMillis, String answers) {
        super("no " + required + " matching replies to request " + timestamp + " within " + timeoutMillis + " ms " + answers
                + "; it may or may not execute");
        this.answers = answers;
    }

    /** For example "from 4 replicas: 0 replied, the primary (replica 0) refused connection". */
    public String answers() {
        return answers;
    }
}
