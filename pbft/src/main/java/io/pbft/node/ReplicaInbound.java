package io.pbft.node;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SignatureVerifier;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ReplicaEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks frames from other replicas on the Netty I/O thread, in parallel, before the core sees
 * them: parse, known sender, signature or MAC over the exact payload bytes (except for a prepare
 * of a slot already prepared here, which is dropped unchecked: see {@link PreparedSlots}), decode, a signature
 * for every kind that can enter a certificate, and for a pre-prepare this replica's
 * authenticator entry of every request in its batch. Whatever fails is dropped and counted;
 * nothing thrown here reaches the transport.
 */
final class ReplicaInbound implements FrameListener {

    private static final Logger log = LoggerFactory.getLogger(ReplicaInbound.class);

    private final int self;
    private final byte[][] replicaKeys;
    /** Key for checking MACs on messages from each peer by id; null at {@code self}. */
    private final SessionKey[] peerKeys;
    private final ClientSessions sessions;
    private final PreparedSlots prepared;
    private final CoreLoop core;
    private final NodeMetrics metrics;

    ReplicaInbound(int self, byte[][] replicaKeys, SessionKey[] peerKeys, ClientSessions sessions,
            PreparedSlots prepared, CoreLoop core, NodeMetrics metrics) {
        this.self = self;
        this.replicaKeys = replicaKeys;
        this.peerKeys = peerKeys.clone();
        this.sessions = sessions;
        this.prepared = prepared;
        this.core = core;
        this.metrics = metrics;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        try {
            accept(connection, frame);
        } catch (RuntimeException e) {
            // Nothing a peer sends should get here; if it does, it is still only a dropped frame.
            metrics.drop(DropReason.MALFORMED_FRAME);
            log.debug("replica {}: frame from {} failed its checks", self, connection.remoteAddress(), e);
        }
    }

    private void accept(Connection connection, byte[] frame) {
        ReplicaEnvelope envelope;
        try {
            envelope = ReplicaEnvelope.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            drop(DropReason.MALFORMED_FRAME, connection, "not a ReplicaEnvelope");
            return;
        }
        int sender = envelope.getSender(); // uint32: values past 2^31 arrive negative
        if (sender < 0 || sender >= replicaKeys.length || sender == self) {
            drop(DropReason.UNKNOWN_SENDER, connection, "sender " + Integer.toUnsignedString(sender));
            return;
        }
        byte[] payload = envelope.getPayload().toByteArray();
        io.pbft.wire.proto.ReplicaMessage parsed;
        try {
            parsed = io.pbft.wire.proto.ReplicaMessage.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            drop(DropReason.MALFORMED_FRAME, connection, "sender " + sender + ": " + e.getMessage());
            return;
        }
        if (parsed.hasPrepare() && prepared.isPrepared(parsed.getPrepare().getView(), parsed.getPrepare().getSequence())) {
            metrics.redundantPrepare();
            return;
        }
        switch (envelope.getProofCase()) {
            case SIGNATURE -> {
                if (!SignatureVerifier.verify(replicaKeys[sender], payload, envelope.getSignature().toByteArray())) {
                    drop(DropReason.BAD_SIGNATURE, connection, "sender " + sender);
                    return;
                }
            }
            case MAC -> {
                if (!peerKeys[sender].verify(payload, envelope.getMac().toByteArray())) {
                    drop(DropReason.BAD_REPLICA_MAC, connection, "sender " + sender);
                    return;
                }
            }
            default -> {
                drop(DropReason.MALFORMED_FRAME, connection, "sender " + sender + ": neither signature nor MAC");
                return;
            }
        }
        ReplicaMessage message;
        try {
            message = WireCodec.decode(sender, parsed);
        } catch (MalformedMessageException e) {
            drop(DropReason.MALFORMED_FRAME, connection, "sender " + sender + ": " + e.getMessage());
            return;
        }
        if (message.entersCertificates() && !envelope.hasSignature()) {
            // Accepted on a MAC, it could end up in a certificate that no other replica can check.
            drop(DropReason.MISSING_SIGNATURE, connection, "sender " + sender + ": " + message.getClass().getSimpleName());
            return;
        }
        if (message instanceof PrePrepare prePrepare) {
            if (!authenticatorsWellFormed(prePrepare)) {
                drop(DropReason.BAD_REQUEST_AUTHENTICATOR, connection, "pre-prepare " + prePrepare.sequence());
            } else if (requestsAuthentic(prePrepare)) {
                core.submitMessage(sender, message);
            } else {
                // Perhaps this replica has no session with the client yet: the core holds the
                // batch until 2f other backups vouch for it.
                metrics.unverifiedPrePrepare();
                core.submitUnverifiedPrePrepare(sender, prePrepare);
            }
            return;
        }
        core.submitMessage(sender, message);
    }

    /** A batch carrying junk authenticators is refused outright: nobody could vouch for its shape. */
    private boolean authenticatorsWellFormed(PrePrepare prePrepare) {
        for (Request request : prePrepare.batch()) {
            if (!Authenticators.wellFormed(request, replicaKeys.length)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every request in the batch carries a valid MAC for this replica from its client. */
    private boolean requestsAuthentic(PrePrepare prePrepare) {
        for (Request request : prePrepare.batch()) {
            byte[] mac = request.authenticator().get(self).toByteArray();
            if (!sessions.verify(request.clientId(), request.digest().toByteArray(), mac)) {
                return false;
            }
        }
        return true;
    }

    private void drop(DropReason reason, Connection connection, String detail) {
        metrics.drop(reason);
        log.debug("replica {}: dropped a frame from {} ({}: {})", self, connection.remoteAddress(), reason, detail);
    }
}
