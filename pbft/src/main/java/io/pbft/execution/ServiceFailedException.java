package io.pbft.execution;

/**
 * The service threw from {@code execute}: a bug in it, by the {@code StateMachine} contract. The
 * replica that meets it stops instead of answering: whatever it made of the operation (an empty
 * result, a skipped one) would be a guess the other replicas need not make, and a replica whose
 * state may differ from theirs must not vote on what comes next.
 */
public final class ServiceFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long sequence;

    public ServiceFailedException(long sequence, long clientId, long timestamp, RuntimeException cause) {
        super("the service threw " + cause + " executing request " + timestamp + " of client " + clientId
                + " at sequence number " + sequence + "; the replica stops: fix the service (execute must return"
                + " an error result, not throw) and restart it", cause);
        this.sequence = sequence;
    }

    /** The sequence number whose batch held the request. */
    public long sequence() {
        return sequence;
    }
}
