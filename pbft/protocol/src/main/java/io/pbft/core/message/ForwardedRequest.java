package io.pbft.core.message;

/**
 * A client request that a backup received and passes on to the primary, so that a client that
 * cannot reach the primary still gets ordered; the primary checks the client's authenticator
 * entry for itself, as if the request came from the client.
 */
public record ForwardedRequest(Request request, int replica) implements ReplicaMessage {}
