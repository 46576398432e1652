package io.pbft.node;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Request;
import io.pbft.driver.Authenticators;
import io.pbft.driver.DropReason;
import io.pbft.driver.VerifiedSignatures;
import io.pbft.crypto.HandshakeException;
import io.pbft.crypto.HandshakeResponder;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.wire.ClientIds;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.ClientHello;
import io.pbft.wire.proto.HelloAccepted;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.ServerHello;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's side of client connections, on the Netty I/O threads: the signed X25519
 * handshake on accept, then requests checked against the connection's session key and their
 * client's signature before they are handed to the core, and status queries (which need no
 * handshake).
 */
final class ClientPort implements FrameListener {

    private static final Logger log = LoggerFactory.getLogger(ClientPort.class);

    /**
     * Frames a connection may deliver before the port stops reading it until the next drain of
     * requests into the core and until none of its client's requests waits in the core for a
     * sequence number (a primary queues up to a window per client) nor, while other clients'
     * requests wait or are in flight, is proposed and not yet executed ({@code Replica.roomFor});
     * and, if it had more than one request there beside other clients', until
     * {@link PausedClients#SPACING} more sequence numbers executed. Every frame costs the I/O
     * thread, which on a small machine is also the core's, a parse and a MAC check, and a request a
     * signature check: without a budget a client that floods is read as fast as it writes and every
     * other client waits behind it. Waiting for the client's queue to empty reads it at the pace
     * the cluster orders its requests, a budget per batch or so. A client that waits for its
     * replies is paused after every few requests and resumed before its next one; a client
     * pipelining a whole window is paced over several batches, not refused. Four: at sixteen the
     * flood took more of each batch and a well-behaved client's median under it was 5 to 8 times
     * its quiet one, at four 3 to 4 times (bench/results/fairness-20261206.md).
     */
    static final int FRAMES_PER_RESUME = 4;
    /** A client id for a connection without a session; any id would do, since it asks for no room. */
    private static final long NO_CLIENT = 0;

    /** Per accepted connection. Frames of one connection arrive on one I/O thread, in order. */
    private static final class ClientConnection {
        HandshakeResponder responder;
        volatile ClientSessions.Session session;
        /** Counted on the I/O thread, reset by the resume (on the core thread): none arrive while paused. */
        final AtomicInteger framesSinceResume = new AtomicInteger();
    }

    private final int self;
    private final int replicaCount;
    /** f: the largest f with 3f + 1 <= n. */
    private final int faultsTolerated;
    private final SigningKey key;
    private final ClientSessions sessions;
    private final VerifiedSignatures signatures;
    private final CoreLoop core;
    private final NodeMetrics metrics;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger authenticated = new AtomicInteger();

    ClientPort(int self, int replicaCount, SigningKey key, ClientSessions sessions, VerifiedSignatures signatures,
            CoreLoop core, NodeMetrics metrics) {
        this.self = self;
        this.replicaCount = replicaCount;
        this.faultsTolerated = (replicaCount - 1) / 3;
        this.key = key;
        this.sessions = sessions;
        this.signatures = signatures;
        this.core = core;
        this.metrics = metrics;
    }

    /** Open client connections that completed their handshake. */
    int authenticatedConnections() {
        return authenticated.get();
    }

    @Override
    public void onOpen(Connection connection) {
        ClientConnection state = new ClientConnection();
        state.responder = HandshakeResponder.create(key, self, random);
        connections.put(connection.id(), state);
        connection.send(ReplicaFrame.newBuilder()
                .setHello(ServerHello.newBuilder()
                        .setReplica(self)
                        .setNonce(UnsafeByteOperations.unsafeWrap(state.responder.nonce()))
                        .setEphemeralPublicKey(UnsafeByteOperations.unsafeWrap(state.responder.ephemeralPublicKey()))
                        .setSignature(UnsafeByteOperations.unsafeWrap(state.responder.signature())))
                .build()
                .toByteArray());
    }

    @Override
    public void onClose(Connection connection) {
        ClientConnection state = connections.remove(connection.id());
        if (state != null && state.session != null) {
            authenticated.decrementAndGet();
        }
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        try {
            spendReadBudget(connection);
            accept(connection, frame);
        } catch (RuntimeException e) {
            metrics.drop(DropReason.MALFORMED_FRAME);
            log.debug("replica {}: client frame from {} failed its checks", self, connection.remoteAddress(), e);
        }
    }

    /**
     * Pauses reading {@code connection} when it has delivered {@link #FRAMES_PER_RESUME} frames since
     * it was last resumed, before handling the frame that used the budget up: that frame's request
     * then makes the drain after which it resumes, and a drain is scheduled for a frame that is not a
     * request too. Counted since the resume, not since any drain: drains come with every other
     * client's requests, and a budget per drain would let a flooder be read at their pace.
     */
    private void spendReadBudget(Connection connection) {
        ClientConnection state = connections.get(connection.id());
        if (state == null || state.framesSinceResume.incrementAndGet() != FRAMES_PER_RESUME) {
            return;
        }
        connection.pauseReading();
        metrics.clientReadsPaused();
        ClientSessions.Session session = state.session;
        // Before the handshake no request can come: the next drain is pace enough.
        core.resumeAfterDrain(session == null ? NO_CLIENT : session.clientId(),
                session == null ? 0 : ReplicaConfig.CLIENT_WINDOW, () -> {
                    metrics.clientReadsResumed();
                    state.framesSinceResume.set(0);
                    connection.resumeReading();
                });
    }

    private void accept(Connection connection, byte[] frame) {
        ClientConnection state = connections.get(connection.id());
        if (state == null) {
            return; // closed meanwhile
        }
        ClientFrame parsed;
        try {
            parsed = ClientFrame.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            drop(DropReason.MALFORMED_FRAME, connection, "not a ClientFrame");
            return;
        }
        switch (parsed.getKindCase()) {
            case HELLO -> onHello(connection, state, parsed.getHello());
            case REQUEST -> onRequest(connection, state, parsed.getRequest());
            case STATUS_QUERY -> core.submitStatusQuery(report -> connection.send(
                    ReplicaFrame.newBuilder().setStatusReport(report).build().toByteArray()));
            default -> drop(DropReason.MALFORMED_FRAME, connection, "client frame of unknown kind");
        }
    }

    private void onHello(Connection connection, ClientConnection state, ClientHello hello) {
        HandshakeResponder responder = state.responder;
        state.responder = null; // one hello per connection
        if (responder == null) {
            failHandshake(connection, "a second hello");
            return;
        }
        byte[] identity = hello.getIdentityPublicKey().toByteArray();
        SessionKey sessionKey;
        try {
            sessionKey = responder.complete(identity, hello.getEphemeralPublicKey().toByteArray(),
                    hello.getSignature().toByteArray());
        } catch (HandshakeException e) {
            failHandshake(connection, e.getMessage());
            return;
        }
        ClientSessions.Session session =
                new ClientSessions.Session(ClientIds.fromPublicKey(identity), connection, sessionKey);
        sessions.register(session);
        state.session = session;
        // Lifts the transport's pre-handshake limits: frames up to the maximum, no handshake timeout.
        connection.markAuthenticated();
        authenticated.incrementAndGet(); // onClose runs on this same I/O thread, after us
        connection.send(ReplicaFrame.newBuilder().setHelloAccepted(HelloAccepted.getDefaultInstance()).build()
                .toByteArray());
        log.debug("replica {}: client {} connected from {}", self, session.clientId(), connection.remoteAddress());
    }

    private void onRequest(Connection connection, ClientConnection state,
            io.pbft.wire.proto.AuthenticatedRequest wire) {
        ClientSessions.Session session = state.session;
        if (session == null) {
            drop(DropReason.NO_SESSION, connection, "request before the handshake");
            return;
        }
        Request request;
        try {
            request = WireCodec.decode(wire);
        } catch (MalformedMessageException e) {
            drop(DropReason.MALFORMED_FRAME, connection, e.getMessage());
            return;
        }
        if (request.clientId() != session.clientId()) {
            drop(DropReason.CLIENT_ID_MISMATCH, connection,
                    "request of client " + request.clientId() + " on the connection of " + session.clientId());
            return;
        }
        if (!Authenticators.wellFormed(request, replicaCount)) {
            drop(DropReason.MALFORMED_FRAME, connection, "authenticator is not one MAC (or nothing) per replica");
            return;
        }
        if (!Authenticators.coversQuorum(request, replicaCount, faultsTolerated)) {
            drop(DropReason.INCOMPLETE_AUTHENTICATOR, connection,
                    "request " + request.timestamp() + " of client " + request.clientId());
            return;
        }
        byte[] mac = request.authenticator().get(self).toByteArray();
        if (!session.key().verify(request.digest().toByteArray(), mac)) {
            drop(DropReason.BAD_MAC, connection, "request " + request.timestamp() + " of client " + request.clientId());
            return;
        }
        if (request.readOnly()) {
            // Answered only to this client over this session, never shown to another replica: the
            // MAC authenticates it, and the signature that ordering needs is not checked.
            core.submitReadOnly(request);
            return;
        }
        if (core.holdsOrSupersedes(request.clientId(), request.timestamp())) {
            // A copy, or one older than a full window of its client's waiting: not worth a signature check.
            drop(DropReason.SUPERSEDED_REQUEST, connection,
                    "request " + request.timestamp() + " of client " + request.clientId());
            return;
        }
        // After the MAC, which costs far less and stops a stranger's junk first. Checked by every
        // replica, not only the primary: a backup that took a request the primary then refused
        // would time out on it and start a view change.
        if (!signatures.verify(request)) {
            drop(DropReason.BAD_REQUEST_SIGNATURE, connection,
                    "request " + request.timestamp() + " of client " + request.clientId());
            return;
        }
        metrics.requestArrived(request.clientId(), request.timestamp());
        core.submitRequest(request);
    }

    private void failHandshake(Connection connection, String why) {
        drop(DropReason.HANDSHAKE_FAILED, connection, why);
        connection.close();
    }

    private void drop(DropReason reason, Connection connection, String detail) {
        metrics.drop(reason);
        log.debug("replica {}: dropped a client frame from {} ({}: {})", self, connection.remoteAddress(), reason, detail);
    }
}
