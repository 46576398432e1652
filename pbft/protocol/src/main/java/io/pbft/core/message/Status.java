package io.pbft.core.message;

/**
 * A replica's progress, broadcast periodically; peers answer with the messages it is missing: its
 * slots, the stable checkpoint's proof, the new view it has not entered. {@code active} is false
 * while the replica changes view (it has left its previous view and waits for {@code view}'s
 * new-view message).
 */
public record Status(long view, boolean active, long lastExecuted, long lowWatermark, int replica)
        implements ReplicaMessage {}
