package io.pbft.client;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.HandshakeException;
import io.pbft.crypto.HandshakeResponder;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.testing.Await;
import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import io.pbft.transport.Listener;
import io.pbft.transport.Transport;
import io.pbft.wire.ClientIds;
import io.pbft.wire.MalformedMessageException;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.AuthenticatedReply;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.HelloAccepted;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.ServerHello;
import io.pbft.wire.proto.StatusReport;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The client side of a replica, scripted by the test: a real handshake (or a forged one), a
 * record of every request received, and replies sent when the test says so.
 */
final class FakeReplica implements FrameListener {

    /** A request as received, and whether its authenticator entry for this replica verified. */
    record Received(Request request, boolean macValid) {}

    private static final class Session {
        HandshakeResponder responder;
        volatile SessionKey key;
        volatile Connection connection;
    }

    final int id;
    private final SigningKey key;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger handshakes = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    /** How many of the next connections get a hello signed by the wrong key. */
    final AtomicInteger forgedHellos = new AtomicInteger();
    /** Per client id: the connection of its latest handshake, and that handshake's key. */
    private final Map<Long, Session> latestByClient = new ConcurrentHashMap<>();
    private volatile BiConsumer<FakeReplica, Received> onRequest = (replica, request) -> { };
    private Listener listener;

    FakeReplica(int id, SigningKey key) {
        this.id = id;
        this.key = key;
    }

    int listen(Transport transport) throws IOException {
        listener = transport.listen("127.0.0.1", 0, this);
        return listener.port();
    }

    void onRequest(BiConsumer<FakeReplica, Received> hook) {
        onRequest = hook;
    }

    @Override
    public void onOpen(Connection connection) {
        connections.incrementAndGet();
        Session session = new Session();
        SigningKey signer = forgedHellos.getAndDecrement() > 0 ? SigningKey.generate(random) : key;
        session.responder = HandshakeResponder.create(signer, id, random);
        sessions.put(connection.id(), session);
        connection.send(ReplicaFrame.newBuilder().setHello(ServerHello.newBuilder()
                .setReplica(id)
                .setNonce(ByteString.copyFrom(session.responder.nonce()))
                .setEphemeralPublicKey(ByteString.copyFrom(session.responder.ephemeralPublicKey()))
                .setSignature(ByteString.copyFrom(session.responder.signature()))).build().toByteArray());
    }

    @Override
    public void onClose(Connection connection) {
        sessions.remove(connection.id());
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        Session session = sessions.get(connection.id());
        try {
            ClientFrame parsed = ClientFrame.parseFrom(frame);
            if (parsed.hasHello()) {
                session.key = session.responder.complete(parsed.getHello().getIdentityPublicKey().toByteArray(),
                        parsed.getHello().getEphemeralPublicKey().toByteArray(),
                        parsed.getHello().getSignature().toByteArray());
                session.connection = connection;
                latestByClient.put(ClientIds.fromPublicKey(parsed.getHello().getIdentityPublicKey().toByteArray()),
                        session);
                handshakes.incrementAndGet();
                connection.markAuthenticated(); // as the real client port does
                connection.send(ReplicaFrame.newBuilder().setHelloAccepted(HelloAccepted.getDefaultInstance())
                        .build().toByteArray());
            } else if (parsed.hasRequest()) {
                Request request = WireCodec.decode(parsed.getRequest());
                boolean valid = session.key != null && request.authenticator().size() > id
                        && session.key.verify(request.digest().toByteArray(),
                                request.authenticator().get(id).toByteArray());
                Received entry = new Received(request, valid);
                received.add(entry);
                onRequest.accept(this, entry);
            } else if (parsed.hasStatusQuery()) {
                connection.send(ReplicaFrame.newBuilder().setStatusReport(StatusReport.newBuilder()
                        .setReplica(id).setView(7).setPrimary(3).setLastExecuted(42 + id)
                        .setStateDigest(ByteString.copyFrom(new byte[32])).setLowWatermark(32))
                        .build().toByteArray());
            }
        } catch (HandshakeException | MalformedMessageException | com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("fake replica " + id + " got a bad frame", e);
        }
    }

    /** Replies to {@code request} on the client's latest connection, with a valid MAC. */
    void reply(Request request, long view, byte[] result) {
        send(new Reply(view, request.clientId(), request.timestamp(), id, ByteString.copyFrom(result)), true);
    }

    /** Sends {@code reply} as it is, with a valid MAC or a corrupted one. */
    void send(Reply reply, boolean validMac) {
        // The client's hello may still be in flight to this replica: wait for it, bounded.
        Await.until(() -> latestByClient.containsKey(reply.clientId()), "client handshake at fake replica " + id);
        Session session = latestByClient.get(reply.clientId());
        byte[] bytes = WireCodec.encode(reply).toByteArray();
        byte[] mac = session.key.mac(bytes);
        if (!validMac) {
            mac[0] ^= 1;
        }
        session.connection.send(ReplicaFrame.newBuilder().setReply(AuthenticatedReply.newBuilder()
                .setReply(ByteString.copyFrom(bytes)).setMac(ByteString.copyFrom(mac))).build().toByteArray());
    }

    void close() {
        if (listener != null) {
            listener.close();
        }
    }
}
