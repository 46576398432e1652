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
import java.util.concurrent.atomic.AtomicBoolean;
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
     * Frames a connection without a session may deliver before the port stops reading it until the
     * next drain of requests into the core: it has a hello to send and status queries, each costing
     * the I/O thread (on a small machine also the core's) a parse, and the hello a handshake.
     */
    static final int FRAMES_PER_RESUME = 4;
    /**
     * How many more of its client's requests the core must have room for before a paused connection
     * with a session is read again: half a window, so the connection is read in runs of requests,
     * not one at a time.
     */
    static final int ROOM_TO_RESUME = ReplicaConfig.CLIENT_WINDOW / 2;
    /** A client id for a connection without a session; any id would do, since it asks for no room. */
    private static final long NO_CLIENT = 0;

    /** Per accepted connection. Frames of one connection arrive on one I/O thread, in order. */
    private static final class ClientConnection {
        HandshakeResponder responder;
        volatile ClientSessions.Session session;
        /** Counted on the I/O thread, reset by the resume (on the core thread): none arrive while paused. */
        final AtomicInteger framesSinceResume = new AtomicInteger();
        /**
         * Set by the pause, cleared by the resume: frames decoded from the read that filled the
         * window still arrive after the pause, and must not pause it again.
         */
        final AtomicBoolean paused = new AtomicBoolean();
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
            ClientConnection state = connections.get(connection.id());
            if (state == null) {
                return; // closed meanwhile
            }
            ClientSessions.Session session = state.session;
            if (session == null) {
                spendHandshakeBudget(connection, state);
            }
            accept(connection, state, frame);
            if (session != null) {
                pauseWhileWindowFull(connection, state, session.clientId());
            }
        } catch (RuntimeException e) {
            metrics.drop(DropReason.MALFORMED_FRAME);
            log.debug("replica {}: client frame from {} failed its checks", self, connection.remoteAddress(), e);
        }
    }

    /**
     * Pauses reading a connection without a session when it has delivered {@link #FRAMES_PER_RESUME}
     * frames since it was last resumed, before handling the frame that used the budget up, until the
     * next drain.
     */
    private void spendHandshakeBudget(Connection connection, ClientConnection state) {
        if (state.framesSinceResume.incrementAndGet() == FRAMES_PER_RESUME) {
            pause(connection, state, NO_CLIENT, 0);
        }
    }

    /**
     * Pauses reading a connection with a session once its client has a full window of requests
     * waiting for the next drain, or has delivered a window of frames since it was last resumed (a
     * client that sends what fails its checks fills no window), until the core has room for
     * {@link #ROOM_TO_RESUME} more of its requests ({@code Replica.roomFor}: those it holds not yet
     * proposed and, while other clients are served, proposed and not yet executed). Below that a
     * client is read as fast as it writes, so a client that floods gets its excess replaced in the
     * node's queue, unseen by the core, as before; the pause bounds what it costs the I/O thread
     * (a MAC and a signature check a request) between two accepts, since a frame decoded is a
     * frame checked. Paced every four frames instead, the flood was read at the pace the core
     * orders it and every request of it ordered, in many small batches
     * (bench/results/fairness-20261206-share.md).
     */
    private void pauseWhileWindowFull(Connection connection, ClientConnection state, long clientId) {
        if (state.framesSinceResume.incrementAndGet() >= ReplicaConfig.CLIENT_WINDOW
                || core.holdsFullWindow(clientId)) {
            pause(connection, state, clientId, ROOM_TO_RESUME);
        }
    }

    private void pause(Connection connection, ClientConnection state, long clientId, int room) {
        if (!state.paused.compareAndSet(false, true)) {
            return;
        }
        connection.pauseReading();
        metrics.clientReadsPaused();
        core.resumeAfterDrain(clientId, room, () -> {
            metrics.clientReadsResumed();
            state.framesSinceResume.set(0);
            state.paused.set(false);
            connection.resumeReading();
        });
    }

    private void accept(Connection connection, ClientConnection state, byte[] frame) {
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
