package io.pbft.node;

import com.google.protobuf.ByteString;
import io.pbft.config.ClusterConfig;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.HandshakeException;
import io.pbft.crypto.HandshakeInitiator;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.ClientIds;
import io.pbft.wire.ClientSignatures;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.AuthenticatedReply;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.ClientHello;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.ServerHello;
import io.pbft.wire.proto.StatusQuery;
import io.pbft.wire.proto.StatusReport;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking client over raw sockets, one connection per replica, for node tests (the
 * real client lives in the clients module, which depends on this one).
 */
final class RawClient implements AutoCloseable {

    final SigningKey identity = SigningKey.generate(new SecureRandom());
    final long clientId = ClientIds.fromPublicKey(identity.publicKey());
    final RawConnection[] connections;
    final SessionKey[] sessions;
    private final ClusterConfig config;

    private RawClient(ClusterConfig config) {
        this.config = config;
        this.connections = new RawConnection[config.replicaCount()];
        this.sessions = new SessionKey[config.replicaCount()];
    }

    /** Connects to every replica and completes every handshake (confirmed by the replica). */
    static RawClient connect(ClusterConfig config) throws IOException {
        RawClient client = new RawClient(config);
        try {
            for (int i = 0; i < config.replicaCount(); i++) {
                client.connections[i] = new RawConnection(config.replica(i).host(), config.replica(i).clientPort());
                client.sessions[i] = client.handshake(i);
            }
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Reads the replica's hello, answers it, and waits for the replica to accept it. */
    private SessionKey handshake(int replica) throws IOException {
        ServerHello hello = ReplicaFrame.parseFrom(connections[replica].receive()).getHello();
        HandshakeInitiator.Result result;
        try {
            result = HandshakeInitiator.respond(identity, config.replica(replica).publicKey(), replica,
                    hello.getNonce().toByteArray(), hello.getEphemeralPublicKey().toByteArray(),
                    hello.getSignature().toByteArray(), new SecureRandom());
        } catch (HandshakeException e) {
            throw new AssertionError("replica " + replica + " sent a bad hello", e);
        }
        connections[replica].send(ClientFrame.newBuilder().setHello(ClientHello.newBuilder()
                .setIdentityPublicKey(ByteString.copyFrom(identity.publicKey()))
                .setEphemeralPublicKey(ByteString.copyFrom(result.ephemeralPublicKey()))
                .setSignature(ByteString.copyFrom(result.signature()))).build().toByteArray());
        ReplicaFrame accepted = ReplicaFrame.parseFrom(connections[replica].receive());
        if (!accepted.hasHelloAccepted()) {
            throw new AssertionError("expected replica " + replica + " to accept the hello, got " + accepted);
        }
        return result.key();
    }

    private static final int MAX_REPLIES_BEFORE_STATUS = 16;

    StatusReport status(int replica) throws IOException {
        connections[replica].send(statusQuery());
        ReplicaFrame frame = ReplicaFrame.parseFrom(connections[replica].receive());
        // The reply to a request sent before may come first, if that request executed by then.
        for (int skipped = 0; skipped < MAX_REPLIES_BEFORE_STATUS && frame.hasReply(); skipped++) {
            frame = ReplicaFrame.parseFrom(connections[replica].receive());
        }
        if (!frame.hasStatusReport()) {
            throw new AssertionError("expected a status report from replica " + replica + ", got " + frame);
        }
        return frame.getStatusReport();
    }

    static byte[] statusQuery() {
        return ClientFrame.newBuilder().setStatusQuery(StatusQuery.getDefaultInstance()).build().toByteArray();
    }

    /** The request, signed, with a valid authenticator entry for every replica. */
    Request request(long timestamp, byte[] operation) {
        return authenticated(ClientSignatures.sign(identity, Request.of(clientId, timestamp, ByteString.copyFrom(operation))));
    }

    /** A read-only request, unsigned (a replica answers it on its MAC alone), with a valid authenticator entry for every replica. */
    Request readOnlyRequest(long timestamp, byte[] operation) {
        return authenticated(new Request(clientId, timestamp, ByteString.copyFrom(operation), true, List.of()));
    }

    private Request authenticated(Request bare) {
        byte[] digest = bare.digest().toByteArray();
        List<ByteString> authenticator = new ArrayList<>();
        for (SessionKey key : sessions) {
            authenticator.add(ByteString.copyFrom(key.mac(digest)));
        }
        return bare.withAuthenticator(authenticator);
    }

    static byte[] requestFrame(Request request) {
        return ClientFrame.newBuilder().setRequest(WireCodec.encode(request)).build().toByteArray();
    }

    void send(int replica, Request request) throws IOException {
        connections[replica].send(requestFrame(request));
    }

    /** The next frame from {@code replica}, which must be a reply with a valid MAC. */
    Reply reply(int replica) throws IOException {
        ReplicaFrame frame = ReplicaFrame.parseFrom(connections[replica].receive());
        if (!frame.hasReply()) {
            throw new AssertionError("expected a reply from replica " + replica + ", got " + frame);
        }
        AuthenticatedReply reply = frame.getReply();
        if (!sessions[replica].verify(reply.getReply().toByteArray(), reply.getMac().toByteArray())) {
            throw new AssertionError("reply from replica " + replica + " has a bad MAC");
        }
        try {
            return WireCodec.decode(io.pbft.wire.proto.Reply.parseFrom(reply.getReply()));
        } catch (MalformedMessageException e) {
            throw new AssertionError("malformed reply from replica " + replica, e);
        }
    }

    @Override
    public void close() throws IOException {
        for (RawConnection connection : connections) {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
