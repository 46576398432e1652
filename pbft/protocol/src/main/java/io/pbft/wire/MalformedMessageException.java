package io.pbft.wire;

/** Bytes from the network that do not form a valid message; the caller drops and counts them. */
public class MalformedMessageException extends Exception {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
