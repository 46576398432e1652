package io.pbft.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.message.Reply;
import io.pbft.crypto.HandshakeException;
import io.pbft.crypto.HandshakeInitiator;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.transport.ReconnectingConnection;
import io.pbft.transport.Transport;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.AuthenticatedReply;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.ClientHello;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.ServerHello;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connection to one replica's client port: answers the replica's signed hello
 * (checked against the configured key) to agree on a session key, again after every reconnect,
 * and checks every reply (MAC under the session key, the replica it names, the client it is for)
 * on the Netty I/O thread before handing it on.
 *
 * <p>A hello that does not verify closes the connection; a new one is opened after
 * {@code restartDelayMillis}, so a misbehaving replica cannot make the client spin.
 */
final class ReplicaLink {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLink.class);

    /** Where a link reports; called on Netty I/O threads. */
    interface Events {
        void onSession(int replica);

        void onReply(Reply reply);

        /** A connect attempt to the replica failed: nothing listens there, or it cannot be reached. */
        default void onConnectFailed(int replica) {}
    }

    private final ReplicaEndpoint endpoint;
    private final SigningKey identity;
    private final long clientId;
    private final Transport transport;
    private final ScheduledExecutorService scheduler;
    private final long restartDelayMillis;
    private final ClientStats stats;
    private final Events events;
    private final SecureRandom random = new SecureRandom();
    /** The connection in use; replaced after a failed handshake. Null once closed. */
    private volatile Attempt current;
    private volatile boolean closed;
    /** Whether a connection to the replica was ever open: a client that once reached it waits for it. */
    private volatile boolean everOpened;
    /** Why the latest connect attempt failed, or null if it did not (or none was made yet). */
    private volatile Throwable connectFailure;

    ReplicaLink(ReplicaEndpoint endpoint, SigningKey identity, long clientId, Transport transport,
            ScheduledExecutorService scheduler, long restartDelayMillis, ClientStats stats, Events events) {
        this.endpoint = endpoint;
        this.identity = identity;
        this.clientId = clientId;
        this.transport = transport;
        this.scheduler = scheduler;
        this.restartDelayMillis = restartDelayMillis;
        this.stats = stats;
        this.events = events;
    }

    int replica() {
        return endpoint.id();
    }

    void start() {
        Attempt attempt = new Attempt();
        current = attempt; // before connecting: callbacks may run before connect() returns
        try {
            attempt.connection = transport.connect(endpoint.host(), endpoint.clientPort(), attempt);
        } catch (IllegalStateException e) {
            current = null; // the transport is closing
        }
        if (closed) {
            close();
        }
    }

    /** The session key of the current connection, or null while there is none. */
    SessionKey session() {
        Attempt attempt = current;
        return attempt == null ? null : attempt.session;
    }

    /** Sends on the current connection if it has a session; returns whether the transport took the frame. */
    boolean send(byte[] frame) {
        Attempt attempt = current;
        if (attempt == null || attempt.session == null || attempt.connection == null) {
            return false;
        }
        return attempt.connection.send(frame);
    }

    /** Whether no connection to the replica was ever open and the latest attempt failed. */
    boolean neverReached() {
        return !everOpened && connectFailure != null;
    }

    /**
     * How the replica looked from here, for a message about a request without an answer: refused
     * (or could not be reached), connected without a completed handshake, or with a session.
     */
    String describe() {
        Attempt attempt = current;
        Throwable failure = connectFailure;
        if (attempt != null && attempt.session != null) {
            return "was connected, with a completed handshake";
        }
        if (attempt != null && attempt.connection != null && attempt.connection.isOpen()) {
            return "was connected, without a completed handshake";
        }
        if (failure != null && String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
            return "refused connection";
        }
        if (failure != null) {
            return "could not be reached (" + failure.getMessage() + ")";
        }
        return everOpened ? "lost its connection" : "not connected yet";
    }

    void close() {
        closed = true;
        Attempt attempt = current;
        current = null;
        if (attempt != null && attempt.connection != null) {
            attempt.connection.close();
        }
    }

    private void restart(Attempt failed) {
        if (current != failed) {
            return;
        }
        current = null;
        if (failed.connection != null) {
            failed.connection.close();
        }
        try {
            scheduler.schedule(() -> {
                if (!closed) {
                    start();
                }
            }, restartDelayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the client is closing
        }
    }

    /** One reconnecting connection and the session of its current channel. */
    private final class Attempt implements FrameListener {
        volatile ReconnectingConnection connection;
        volatile SessionKey session;
        /** The key agreed in the handshake, in use only once the replica confirms it holds it too. */
        volatile SessionKey agreed;

        @Override
        public void onOpen(Connection connection) {
            session = null; // a new channel: wait for its hello
            agreed = null;
            everOpened = true;
            connectFailure = null;
        }

        @Override
        public void onConnectFailed(Connection connection, Throwable cause) {
            if (current != this) {
                return;
            }
            connectFailure = cause;
            events.onConnectFailed(endpoint.id());
        }

        @Override
        public void onClose(Connection connection) {
            session = null;
            agreed = null;
        }

        @Override
        public void onFrame(Connection connection, byte[] frame) {
            if (current != this) {
                return;
            }
            try {
                ReplicaFrame parsed = ReplicaFrame.parseFrom(frame);
                switch (parsed.getKindCase()) {
                    case HELLO -> onHello(connection, parsed.getHello());
                    case HELLO_ACCEPTED -> onHelloAccepted();
                    case REPLY -> onReply(parsed.getReply());
                    case STATUS_REPORT -> { } // not asked for on this connection
                    default -> stats.frameMalformed();
                }
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                stats.frameMalformed();
                log.debug("malformed frame from replica {}", endpoint.id(), e);
            }
        }

        private void onHello(Connection connection, ServerHello hello) {
            if (session != null || agreed != null) {
                stats.frameMalformed(); // one hello per connection
                return;
            }
            HandshakeInitiator.Result result;
            try {
                result = HandshakeInitiator.respond(identity, endpoint.publicKey(), endpoint.id(),
                        hello.getNonce().toByteArray(), hello.getEphemeralPublicKey().toByteArray(),
                        hello.getSignature().toByteArray(), random);
            } catch (HandshakeException e) {
                stats.handshakeFailed();
                log.warn("replica {} at {}: handshake failed ({}); reconnecting in {} ms", endpoint.id(),
                        connection.remoteAddress(), e.getMessage(), restartDelayMillis);
                restart(this);
                return;
            }
            connection.send(ClientFrame.newBuilder().setHello(ClientHello.newBuilder()
                    .setIdentityPublicKey(UnsafeByteOperations.unsafeWrap(identity.publicKey()))
                    .setEphemeralPublicKey(UnsafeByteOperations.unsafeWrap(result.ephemeralPublicKey()))
                    .setSignature(UnsafeByteOperations.unsafeWrap(result.signature())))
                    .build().toByteArray());
            agreed = result.key();
        }

        private void onHelloAccepted() {
            SessionKey key = agreed;
            if (key == null || session != null) {
                stats.frameMalformed(); // an acceptance of no hello, or a second one
                return;
            }
            session = key;
            stats.handshakeCompleted();
            events.onSession(endpoint.id());
        }

        private void onReply(AuthenticatedReply authenticated) {
            SessionKey key = session;
            byte[] bytes = authenticated.getReply().toByteArray();
            if (key == null || !key.verify(bytes, authenticated.getMac().toByteArray())) {
                stats.replyRejectedBadMac();
                return;
            }
            Reply reply;
            try {
                reply = WireCodec.decode(io.pbft.wire.proto.Reply.parseFrom(bytes));
            } catch (MalformedMessageException | InvalidProtocolBufferException e) {
                stats.replyRejectedMismatched();
                return;
            }
            if (reply.replica() != endpoint.id() || reply.clientId() != clientId) {
                stats.replyRejectedMismatched();
                return;
            }
            stats.replyAccepted();
            events.onReply(reply);
        }
    }
}
