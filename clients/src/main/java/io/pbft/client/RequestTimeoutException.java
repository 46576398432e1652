package io.pbft.client;

import java.util.concurrent.TimeoutException;

/**
 * A sent request got no f + 1 matching replies in time: its outcome is unknown. Says what the
 * client saw, so that an operator can tell a dead primary from a partitioned client: how many
 * replicas replied, and how the primary looked from here.
 */
public final class RequestTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    private final String answers;

    RequestTimeoutException(long timestamp, long timeoutMillis, String answers) {
        super("no f + 1 matching replies to request " + timestamp + " within " + timeoutMillis + " ms " + answers
                + "; it may or may not execute");
        this.answers = answers;
    }

    /** For example "from 4 replicas: 0 replied, the primary (replica 0) refused connection". */
    public String answers() {
        return answers;
    }
}
