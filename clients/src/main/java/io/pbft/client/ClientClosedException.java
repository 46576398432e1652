package io.pbft.client;

/**
 * The client was closed while the request was outstanding: it had been sent to at least one
 * replica but no result was accepted. The outcome is <em>unknown</em>: the request may or may
 * not execute. (A request closed before it was sent fails with {@link RejectedException}.)
 */
public final class ClientClosedException extends Exception {

    public ClientClosedException(String message) {
        super(message);
    }
}
