package io.pbft.node;

import com.google.protobuf.UnsafeByteOperations;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.Outbound;
import io.pbft.core.message.Commit;
import io.pbft.core.message.Reply;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.transport.Transport;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.AuthenticatedReply;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the core's outputs on the core thread: signs each outbound replica message that
 * can enter a certificate once (a broadcast sends the same signed frame to every peer), MACs the
 * others per destination with the key this replica shares with it, and sends each frame on the
 * connection to its destination; MACs each reply with the session key of the client's latest
 * connection.
 */
final class Outbox implements CoreLoop.Sink {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final int self;
    private final SigningKey key;
    /** Key for MACs on messages to each peer by id; null at {@code self}. */
    private final SessionKey[] peerKeys;
    private final ClientSessions sessions;
    private final PreparedSlots prepared;
    private final NodeMetrics metrics;
    /** Outbound connection to each peer by id; null at {@code self}. Written once before the core starts. */
    private volatile Connection[] peers = new Connection[0];

    Outbox(int self, SigningKey key, SessionKey[] peerKeys, ClientSessions sessions, PreparedSlots prepared,
            NodeMetrics metrics) {
        this.self = self;
        this.key = key;
        this.peerKeys = peerKeys.clone();
        this.sessions = sessions;
        this.prepared = prepared;
        this.metrics = metrics;
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
    public void send(List<Outbound> messages) {
        Connection[] connections = peers;
        for (Outbound outbound : messages) {
            if (outbound.message() instanceof Commit commit) {
                prepared.markPrepared(commit.view(), commit.sequence()); // a replica commits once it has prepared
            }
            byte[] payload = WireCodec.encode(outbound.message()).toByteArray();
            byte[] signedFrame = outbound.message().entersCertificates() ? signed(payload) : null;
            if (outbound.isBroadcast()) {
                for (int peer = 0; peer < connections.length; peer++) {
                    if (connections[peer] != null) {
                        connections[peer].send(signedFrame != null ? signedFrame : maced(payload, peer));
                    }
                }
            } else if (outbound.destination() >= 0 && outbound.destination() < connections.length
                    && connections[outbound.destination()] != null) {
                int peer = outbound.destination();
                connections[peer].send(signedFrame != null ? signedFrame : maced(payload, peer));
            } else {
                log.warn("replica {}: core addressed a message to replica {}, not a peer", self, outbound.destination());
            }
        }
    }

    @Override
    public void deliver(List<Reply> replies) {
        for (Reply reply : replies) {
            ClientSessions.Session session = sessions.latest(reply.clientId());
            if (session == null || !session.connection().isOpen()) {
                metrics.drop(DropReason.REPLY_UNDELIVERABLE); // the client retransmits and gets the cached reply
                continue;
            }
            byte[] bytes = WireCodec.encode(reply).toByteArray();
            byte[] frame = ReplicaFrame.newBuilder()
                    .setReply(AuthenticatedReply.newBuilder()
                            .setReply(UnsafeByteOperations.unsafeWrap(bytes))
                            .setMac(UnsafeByteOperations.unsafeWrap(session.key().mac(bytes))))
                    .build()
                    .toByteArray();
            if (!session.connection().send(frame)) {
                metrics.drop(DropReason.REPLY_UNDELIVERABLE);
            }
        }
    }

    private byte[] signed(byte[] payload) {
        return ReplicaEnvelope.newBuilder()
                .setSender(self)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .setSignature(UnsafeByteOperations.unsafeWrap(key.sign(payload)))
                .build()
                .toByteArray();
    }

    private byte[] maced(byte[] payload, int peer) {
        return ReplicaEnvelope.newBuilder()
                .setSender(self)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .setMac(UnsafeByteOperations.unsafeWrap(peerKeys[peer].mac(payload)))
                .build()
                .toByteArray();
    }
}
