package io.pbft.chaos.sim;

import io.pbft.core.Outbound;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;

/** Something that happens at one instant of simulated time: a delivery or a timer. */
sealed interface SimEvent {

    /** A small number naming the kind of event, mixed into the run's trace digest. */
    int kind();

    /** The replica or client the event happens to. */
    int target();

    /**
     * A frame from replica {@code from} arrives at replica {@code to}. Who sent it is what the frame's
     * signature or MAC proves, checked by the replica's inbound pipeline, as in a real node.
     */
    record ReplicaFrameDelivery(int to, int from, byte[] frame) implements SimEvent {
        public int kind() {
            return 1;
        }

        public int target() {
            return to;
        }
    }

    /** A client request arrives at replica {@code to}. */
    record RequestDelivery(int to, Request request) implements SimEvent {
        public int kind() {
            return 2;
        }

        public int target() {
            return to;
        }
    }

    /** A reply from replica {@code from} arrives at the client with index {@code client}. */
    record ReplyDelivery(int client, int from, Reply reply) implements SimEvent {
        public int kind() {
            return 3;
        }

        public int target() {
            return client;
        }
    }

    /** A replica's core asked to be ticked at this time. */
    record ReplicaWake(int replica) implements SimEvent {
        public int kind() {
            return 4;
        }

        public int target() {
            return replica;
        }
    }

    /** A client starts its next request. */
    record ClientIssue(int client) implements SimEvent {
        public int kind() {
            return 5;
        }

        public int target() {
            return client;
        }
    }

    /** A client's retransmission timer for request {@code timestamp} ran out. */
    record ClientRetransmit(int client, long timestamp) implements SimEvent {
        public int kind() {
            return 6;
        }

        public int target() {
            return client;
        }
    }

    /**
     * A message replica {@code replica}'s behaviour held back (a slow replica) is handed to the network
     * now, unless the incarnation that held it has crashed since.
     */
    record HeldOutbound(int replica, int incarnation, Outbound outbound) implements SimEvent {
        public int kind() {
            return 7;
        }

        public int target() {
            return replica;
        }
    }

    /** Replica {@code replica} crashes (see {@link Restart}). */
    record ReplicaCrash(int replica) implements SimEvent {
        public int kind() {
            return 8;
        }

        public int target() {
            return replica;
        }
    }

    /** Replica {@code replica} restarts from its disk. */
    record ReplicaRestart(int replica) implements SimEvent {
        public int kind() {
            return 9;
        }

        public int target() {
            return replica;
        }
    }
}
