package io.pbft.core;

import io.pbft.core.message.ReplicaMessage;

/** A message the driver must sign and send, to one replica or to all others. */
public record Outbound(int destination, ReplicaMessage message) {

    public static final int ALL_OTHERS = -1;

    public static Outbound broadcast(ReplicaMessage message) {
        return new Outbound(ALL_OTHERS, message);
    }

    public static Outbound to(int replica, ReplicaMessage message) {
        return new Outbound(replica, message);
    }

    public boolean isBroadcast() {
        return destination == ALL_OTHERS;
    }
}
