package io.pbft.client;

/**
 * The replicas agreed on a result, but it is not an answer the caller can use: the service
 * rejected the operation, or the result bytes do not decode as the {@link Codec} expects. The
 * operation was executed (an f + 1 quorum answered), so it is not retried; what it changed, if
 * anything, is the service's to say.
 */
public class ResultException extends Exception {

    public ResultException(String message) {
        super(message);
    }

    public ResultException(String message, Throwable cause) {
        super(message, cause);
    }
}
