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
        this(sequence, "the service threw " + cause + " executing request " + timestamp + " of client " + clientId
                + " at sequence number " + sequence + "; the replica stops: fix the service (execute must return"
                + " an error result, not throw) and restart it", cause);
    }

    private ServiceFailedException(long sequence, String message, RuntimeException cause) {
        super(message, cause);
        this.sequence = sequence;
    }

    /** The service threw from {@code query}, answering a read-only request (sequence number -1: not ordered). */
    public static ServiceFailedException inQuery(long clientId, long timestamp, RuntimeException cause) {
        return new ServiceFailedException(-1, "the service threw " + cause + " answering read-only request "
                + timestamp + " of client " + clientId + "; the replica stops: fix the service (query must return"
                + " an error result, not throw) and restart it", cause);
    }

    /** The sequence number whose batch held the request. */
    public long sequence() {
        return sequence;
    }
}
