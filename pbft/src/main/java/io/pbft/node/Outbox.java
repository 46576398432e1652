package io.pbft.node;

import com.google.protobuf.UnsafeByteOperations;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.message.Reply;
import io.pbft.driver.DropReason;
import io.pbft.driver.EffectsCarrier;
import io.pbft.driver.FrameSink;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.transport.Transport;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.AuthenticatedReply;
import io.pbft.wire.proto.ReplicaFrame;
import java.util.List;

/**
 * Where the node's outbound frames and replies go, on the core thread: each replica frame on the
 * connection to its destination peer, each reply MAC'd with the session key of the client's
 * latest connection.
 */
final class Outbox implements FrameSink, EffectsCarrier.ReplySink {

    private final int self;
    private final ClientSessions sessions;
    private final NodeMetrics metrics;
    /** Faults put on the links by the fault-control port, or null (no such port): then frames go straight out. */
    private final LinkFaults faults;
    /** Outbound connection to each peer by id; null at {@code self}. Written once before the core starts. */
    private volatile Connection[] peers = new Connection[0];

    Outbox(int self, ClientSessions sessions, NodeMetrics metrics, LinkFaults faults) {
        this.self = self;
        this.sessions = sessions;
        this.metrics = metrics;
        this.faults = faults;
    }

    /** Opens a reconnecting connection to every other replica's replica port. */
    void connectPeers(Transport transport, List<ReplicaEndpoint> replicas, FrameListener listener) {
        Connection[] connections = new Connection[replicas.size()];
        for (ReplicaEndpoint peer : replicas) {
            if (peer.id() != self) {
                connections[peer.id()] = transport.connect(peer.host(), peer.port(), listener);
            }
        }
        peers = connections;
    }

    @Override
    public void send(int peer, byte[] frame) {
        Connection[] connections = peers;
        if (peer >= 0 && peer < connections.length && connections[peer] != null) {
            if (faults == null) {
                connections[peer].send(frame);
            } else {
                faults.send(peer, connections[peer], frame);
            }
        }
    }

    @Override
    public void deliver(Reply reply) {
        ClientSessions.Session session = sessions.latest(reply.clientId());
        if (session == null || !session.connection().isOpen()) {
            metrics.drop(DropReason.REPLY_UNDELIVERABLE); // the client retransmits and gets the cached reply
            return;
        }
        byte[] bytes = WireCodec.encode(reply).toByteArray();
        byte[] frame = ReplicaFrame.newBuilder()
                .setReply(AuthenticatedReply.newBuilder()
                        .setReply(UnsafeByteOperations.unsafeWrap(bytes))
                        .setMac(UnsafeByteOperations.unsafeWrap(session.key().mac(bytes))))
                .build()
                .toByteArray();
        if (session.connection().send(frame)) {
            metrics.replied(reply.clientId(), reply.timestamp());
        } else {
            metrics.drop(DropReason.REPLY_UNDELIVERABLE);
        }
    }
}
