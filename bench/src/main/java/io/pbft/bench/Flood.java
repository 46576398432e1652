package io.pbft.bench;

import com.google.protobuf.ByteString;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.WireCodec;
import io.pbft.wire.proto.ClientFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One hostile client of {@code bench-fairness}, running on its own threads from {@link
 * FloodSocket#FLOOD_ADDRESS} against one replica's client port until closed. Each kind is one of
 * issue 10's reproductions: it does as much as the replica lets it, and counts what it did.
 */
final class Flood implements AutoCloseable {

    /** What a flood does, as the results name it. */
    enum Kind {
        /** Signed requests, timestamps rising, sent without waiting for replies. */
        REQUESTS("request flood", "requests sent"),
        /** New connections, each a full handshake under a fresh identity, then closed: short-lived clients. */
        HANDSHAKES("handshake flood (short-lived clients)", "handshakes completed"),
        /** Connections opened and held without a word. */
        CONNECTIONS("idle connection flood", "connections opened"),
        /** Connections that announce a frame of the maximum size before any handshake and send part of it. */
        PRE_HANDSHAKE("pre-handshake memory flood", "connections that sent");

        final String title;
        final String unit;

        Kind(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }
    }

    /** How long closing waits for each flood thread: they stop at their next socket operation. */
    private static final long JOIN_MILLIS = 30_000;
    /** What a pre-handshake flood sends of the frame it announces. */
    static final int PRE_HANDSHAKE_SEND_BYTES = 64 * 1024;

    private final Kind kind;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Written by the request flood's thread too, which starts its reply readers. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<FloodSocket> held = new ArrayList<>();
    private volatile boolean stopped;

    private Flood(Kind kind) {
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    /** Requests sent, handshakes completed or connections opened, as {@link Kind#unit} says. */
    long done() {
        return done.get();
    }

    /** Connections refused or closed by the replica, handshakes that failed, requests that could not be sent. */
    long failures() {
        return failures.get();
    }

    /**
     * Connects to every replica as {@code requests}' client and sends its next requests to
     * {@code target} as fast as the socket takes them, discarding the replies, until closed.
     */
    static Flood requests(ClusterConfig config, int target, PresignedRequests requests, long timeoutMillis) {
        Flood flood = new Flood(Kind.REQUESTS);
        flood.start("request-flood", () -> flood.sendRequests(config, target, requests, timeoutMillis));
        return flood;
    }

    /** {@code threads} threads that each connect to {@code target}, complete a handshake under a fresh identity and close, over and over. */
    static Flood handshakes(ClusterConfig config, int target, int threads, long timeoutMillis) {
        Flood flood = new Flood(Kind.HANDSHAKES);
        for (int i = 0; i < threads; i++) {
            flood.start("handshake-flood-" + i, () -> flood.handshakeLoop(config.replica(target),
                    config.maxFrameBytes(), timeoutMillis));
        }
        return flood;
    }

    /** Opens {@code count} connections to {@code target} and holds them, sending nothing. */
    static Flood idleConnections(ClusterConfig config, int target, int count, long timeoutMillis) {
        Flood flood = new Flood(Kind.CONNECTIONS);
        flood.start("connection-flood", () -> flood.openConnections(config.replica(target), config.maxFrameBytes(),
                count, timeoutMillis, null));
        return flood;
    }

    /**
     * Opens {@code count} connections to {@code target}, each announcing a frame of the cluster's
     * maximum size and sending {@link #PRE_HANDSHAKE_SEND_BYTES} of it, and holds them.
     */
    static Flood preHandshake(ClusterConfig config, int target, int count, long timeoutMillis) {
        byte[] partialFrame = ByteBuffer.allocate(Integer.BYTES + PRE_HANDSHAKE_SEND_BYTES)
                .putInt(config.maxFrameBytes()).array();
        Flood flood = new Flood(Kind.PRE_HANDSHAKE);
        flood.start("pre-handshake-flood", () -> flood.openConnections(config.replica(target),
                config.maxFrameBytes(), count, timeoutMillis, partialFrame));
        return flood;
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void sendRequests(ClusterConfig config, int target, PresignedRequests requests, long timeoutMillis) {
        SecureRandom random = new SecureRandom();
        int n = config.replicaCount();
        FloodSocket[] sockets = new FloodSocket[n];
        SessionKey[] keys = new SessionKey[n];
        try {
            for (int i = 0; i < n && !stopped; i++) {
                sockets[i] = hold(FloodSocket.open(config.replica(i), config.maxFrameBytes(), timeoutMillis));
                keys[i] = sockets[i].handshake(requests.identity(), config.replica(i), random);
                FloodSocket socket = sockets[i];
                start("request-flood-replies-" + i, () -> discardReplies(socket));
            }
            while (!stopped) {
                Request bare = requests.next();
                byte[] digest = bare.digest().toByteArray();
                List<ByteString> authenticator = new ArrayList<>(n);
                for (SessionKey key : keys) {
                    authenticator.add(ByteString.copyFrom(key.mac(digest)));
                }
                sockets[target].send(ClientFrame.newBuilder()
                        .setRequest(WireCodec.encode(bare.withAuthenticator(authenticator))).build().toByteArray());
                sockets[target].flush();
                done.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet(); // also how closing the flood stops a blocked send
        }
    }

    /** Reads and drops replies until the socket closes: a flooder that did not read would be cut off for that. */
    private void discardReplies(FloodSocket socket) {
        try {
            while (!stopped) {
                socket.receive();
            }
        } catch (IOException e) {
            // closed: by the flood's end, or by the replica
        }
    }

    private void handshakeLoop(ReplicaEndpoint replica, int maxFrameBytes, long timeoutMillis) {
        SecureRandom random = new SecureRandom();
        while (!stopped) {
            try (FloodSocket socket = FloodSocket.open(replica, maxFrameBytes, timeoutMillis)) {
                socket.handshake(SigningKey.generate(random), replica, random);
                done.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
            }
        }
    }

    private void openConnections(ReplicaEndpoint replica, int maxFrameBytes, int count, long timeoutMillis,
            byte[] firstBytesOrNull) {
        for (int i = 0; i < count && !stopped; i++) {
            FloodSocket socket;
            try {
                socket = hold(FloodSocket.open(replica, maxFrameBytes, timeoutMillis));
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
                continue;
            }
            try {
                if (firstBytesOrNull != null) {
                    socket.sendRaw(firstBytesOrNull);
                }
                done.incrementAndGet();
            } catch (IOException e) {
                failures.incrementAndGet(); // the replica closed it already
            }
        }
    }

    private FloodSocket hold(FloodSocket socket) {
        synchronized (held) {
            if (stopped) {
                socket.close();
                throw new IllegalStateException("flood stopped");
            }
            held.add(socket);
        }
        return socket;
    }

    /** Stops the flood: closes every connection it holds and waits for its threads. */
    @Override
    public void close() throws InterruptedException {
        synchronized (held) {
            stopped = true;
            held.forEach(FloodSocket::close);
            held.clear();
        }
        for (Thread thread : threads) {
            thread.join(JOIN_MILLIS);
        }
    }
}
