package io.pbft.core.message;

/**
 * A replica's progress, broadcast periodically; peers answer with the messages it is missing.
 * This is the core's only defence against lost messages in the normal case.
 */
public record Status(long view, long lastExecuted, long lowWatermark, int replica) implements ReplicaMessage {}
