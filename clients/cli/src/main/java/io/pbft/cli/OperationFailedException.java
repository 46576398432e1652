package io.pbft.cli;

/** A command's operation got no usable answer; the message says whether it may have taken effect. */
final class OperationFailedException extends Exception {

    OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
