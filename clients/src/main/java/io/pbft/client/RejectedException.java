package io.pbft.client;

/**
 * The request was rejected before it was handed to any replica's connection, so it was
 * <em>certainly not executed</em>: the caller may safely issue it again. {@link #reason()} says
 * why.
 */
public final class RejectedException extends Exception {

    /** Why the request was not sent to any replica. */
    public enum Reason {
        /** The client was closed (or closing) before the request's turn came. */
        CLIENT_CLOSED,
        /**
         * No replica had a connection with a completed handshake before the request timed out; or,
         * sooner, the client never reached any replica and every one refused the connection.
         */
        NO_REPLICA_REACHABLE,
        /** The operation is larger than a request may be ({@code protocol.maxBatchBytes} of the cluster). */
        OPERATION_TOO_LARGE,
    }

    private final Reason reason;

    public RejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
