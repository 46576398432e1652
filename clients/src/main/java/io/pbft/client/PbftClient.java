package io.pbft.client;

import com.google.protobuf.ByteString;
import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.transport.IoThread;
import io.pbft.transport.Transport;
import io.pbft.transport.TransportConfig;
import io.pbft.wire.ClientIds;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a PBFT cluster: {@link #invoke} sends an operation and completes with its result
 * once 2f + 1 replicas returned the same result bytes (f + 1 with {@link
 * Builder#readOnlySafeWrites readOnlySafeWrites(false)}); {@link #invokeReadOnly} asks every
 * replica to answer a read from its state without ordering it.
 *
 * <pre>{@code
 * ClusterConfig cluster = ClusterConfig.load(Path.of("cluster.properties"));
 * try (PbftClient client = PbftClient.builder()
 *         .cluster(cluster)
 *         .identity(KeyFile.read(Path.of("keys/client-0.key")).key()) // optional: a fresh key otherwise
 *         .timeoutMillis(10_000)                                      // optional: 30 s otherwise
 *         .build()) {
 *     byte[] result = client.invoke(operation).get();
 * }
 * }</pre>
 *
 * <h2>Outcomes</h2>
 *
 * The future completes normally with the result, or exceptionally with:
 * <ul>
 *   <li>{@link RejectedException}: the request was never handed to any replica; it was
 *       <em>certainly not executed</em> (the client was closed before its turn, no replica was
 *       reachable, or the operation is too large); a client that never reached any replica fails
 *       so as soon as every one refused the connection, without waiting for the timeout;
 *   <li>{@link RequestTimeoutException} (a {@link java.util.concurrent.TimeoutException}): sent,
 *       but not enough matching replies within {@code timeoutMillis}; the outcome is <em>unknown</em>;
 *       its message says how many replicas replied and how the primary looked from the client;
 *   <li>{@link ClientClosedException}: the client was closed while the request was outstanding;
 *       the outcome is <em>unknown</em>.
 * </ul>
 *
 * <h2>Ordering and the window</h2>
 *
 * Each request carries its own timestamp, and the replicas execute it at most once. Calls are
 * sent in call order, up to {@link Builder#window window} of them outstanding at once; the replicas
 * may execute outstanding requests in any order, as they would those of separate clients, so one
 * client serves many threads. A call that must follow another waits for its result first. With the
 * default window of 1, calls are sent and executed one at a time, in call order. {@code
 * timeoutMillis} counts from when a request is sent, not from the call. Timestamps are consecutive
 * while requests are outstanding and start at {@code currentTimeMillis * 1000} or above when none
 * is, so a client restarted with the same identity keeps them increasing.
 *
 * <h2>Authentication</h2>
 *
 * Each connection to a replica starts with a signed X25519 handshake that agrees on a session
 * key; requests carry a MAC authenticator (one MAC per replica) and replies a MAC, both
 * HMAC-SHA256 truncated to 16 bytes. Requests are also signed with the identity key (Ed25519,
 * once per request, about 30 us), which every replica can check: a replica whose MAC entry fails
 * falls back to it, so no client can make its request authentic to some replicas and not others.
 * The client id is a hash of the identity public key.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe: {@code invoke} and {@code close} may be called from any thread, continuations
 * included. The client has no protocol thread of its own: its state is confined to one I/O thread
 * of the transport, which also reads the replies, runs the retransmission and timeout timers and
 * writes the requests, so a call crosses threads only when it is handed to that thread and when
 * its future completes. Replies that arrive on another I/O thread (a shared transport with
 * several) are handed over to it.
 *
 * <p>Futures complete on the {@link Builder#callbackExecutor callback executor}. By default that
 * is a daemon thread of the client's own: a continuation that blocks delays the completion of
 * later requests, never their sending. {@code callbackExecutor(Runnable::run)} saves that thread
 * hand-off by completing futures on the I/O thread, for callers whose continuations never block.
 */
public final class PbftClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PbftClient.class);

    /** Default of {@link Builder#timeoutMillis}. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    /** See {@link Builder#escalateMillis}. */
    public static final long DEFAULT_ESCALATE_MILLIS = 50;
    /**
     * The largest {@link Builder#window}: the replicas remember this many timestamps per client, and
     * refuse a request so far behind its client's newest that it left their window.
     */
    public static final int MAX_WINDOW = ReplicaConfig.CLIENT_WINDOW;
    /** Room left in a frame for everything in a request but the operation, plus per-replica MACs. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final ClusterConfig cluster;
    private final long clientId;
    private final int maxOperationBytes;
    private final ClientStats stats = new ClientStats();
    private final Transport transport;
    /** False when the transport was given to the builder: it is shared and its owner closes it. */
    private final boolean ownsTransport;
    private final DispatchLoop loop;
    private final Executor callbacks;
    /** The default callback thread's executor, which the client shuts down; null when the builder gave one. */
    private final ExecutorService ownCallbacks;
    private final ReplicaLink[] links;
    private final Dispatcher dispatcher;
    private final boolean readOnlySafeWrites;
    private volatile boolean closed;
    private volatile Thread callbackThread;

    private PbftClient(Builder builder, long retransmitMillis) {
        this.cluster = builder.cluster;
        SigningKey identity = builder.identity != null ? builder.identity : SigningKey.generate(new SecureRandom());
        this.clientId = ClientIds.fromPublicKey(identity.publicKey());
        int n = cluster.replicaCount();
        this.maxOperationBytes = maxOperationBytes(cluster);
        this.ownCallbacks = builder.callbackExecutor == null ? callbackThread(clientId) : null;
        this.callbacks = ownCallbacks != null ? ownCallbacks : builder.callbackExecutor;
        this.ownsTransport = builder.transport == null;
        this.transport = ownsTransport ? newTransport(cluster) : builder.transport;
        IoThread ioThread = transport.ioThread();
        this.loop = new DispatchLoop(ioThread);
        this.links = new ReplicaLink[n];
        ReplicaLink.Events events = new ReplicaLink.Events() {
            @Override
            public void onSession(int replica) {
                loop.run(PbftClient.this.dispatcher::onSession);
            }

            @Override
            public void onReply(Reply reply) {
                loop.run(() -> PbftClient.this.dispatcher.onReply(reply));
            }

            @Override
            public void onConnectFailed(int replica) {
                loop.run(PbftClient.this.dispatcher::onConnectFailed);
            }
        };
        long restartDelayMillis = Math.max(50, retransmitMillis);
        for (int i = 0; i < n; i++) {
            links[i] = new ReplicaLink(cluster.replica(i), identity, clientId, transport, ioThread.executor(),
                    restartDelayMillis, stats, events);
        }
        this.readOnlySafeWrites = builder.readOnlySafeWrites;
        int orderedQuorum = readOnlySafeWrites ? 2 * cluster.f() + 1 : cluster.f() + 1;
        this.dispatcher = new Dispatcher(identity, cluster.f(), orderedQuorum, links,
                Math.min(builder.escalateMillis, retransmitMillis), retransmitMillis, builder.timeoutMillis,
                builder.window, loop, callbacks, stats);
        for (ReplicaLink link : links) {
            link.start();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The largest operation the replicas accept: a request, with a MAC for every replica and its
     * key and signature, must fit
     * in one batch ({@code protocol.maxBatchBytes}), which the cluster config keeps inside a frame.
     */
    static int maxOperationBytes(ClusterConfig cluster) {
        List<ByteString> fullAuthenticator =
                Collections.nCopies(cluster.replicaCount(), ByteString.copyFrom(new byte[SessionKey.MAC_BYTES]));
        Request empty = new Request(0, 0, ByteString.EMPTY, false, fullAuthenticator,
                ByteString.copyFrom(new byte[SigningKey.PUBLIC_KEY_BYTES]),
                ByteString.copyFrom(new byte[SigningKey.SIGNATURE_BYTES]));
        return cluster.protocol().maxBatchBytes() - empty.sizeBytes();
    }

    /**
     * Sends {@code operation} (copied) to the cluster after the requests called before it, once the
     * window has room, and completes with the result 2f + 1 replicas agree on (f + 1 without {@link
     * Builder#readOnlySafeWrites}). See the class documentation for the exceptions it may complete
     * with.
     */
    public CompletableFuture<byte[]> invoke(byte[] operation) {
        return call(operation, false);
    }

    /**
     * Sends the read-only {@code operation} (copied) to every replica, after the requests called
     * before it; each answers at once from its state with the service's {@code query}, without
     * ordering it (the PBFT read-only optimization: one round trip instead of three phases). The
     * result is accepted on <em>2f + 1</em> matching replies. When the replies cannot agree (a
     * write ran concurrently, a replica lags or lies) or do not within the retransmission interval,
     * the operation is sent again as an ordered request, as {@link #invoke} would, within the same
     * timeout. The outcomes are those of {@link #invoke}.
     *
     * <p>Linearizable, and why 2f + 1 on both sides: a write completes once 2f + 1 replicas
     * replied, so at least f + 1 correct replicas have executed it; a read accepted from 2f + 1
     * replicas heard from at least f + 1 correct ones; of the 2f + 1 correct replicas, those two
     * groups share at least one, whose state includes the write, and 2f + 1 <em>matching</em>
     * answers must agree with it. Replicas execute only committed requests, so every answer comes
     * from a committed prefix of the one order (this is the condition of Castro's thesis, sec.
     * 5.1.3: with tentative execution, replicas would answer only once what they executed had
     * committed). With writes accepted on f + 1 replies it fails: f lying replicas and f + 1
     * correct ones that have not executed the write yet make 2f + 1 matching stale answers. So
     * the guarantee holds only if <em>every</em> client of the cluster keeps {@link
     * Builder#readOnlySafeWrites} on (the default); a client that turns it off sends its own reads
     * ordered. The operation must be one the service answers in {@code query}; one that writes is
     * answered with the service's error result and changes nothing.
     */
    public CompletableFuture<byte[]> invokeReadOnly(byte[] operation) {
        return call(operation, readOnlySafeWrites);
    }

    private CompletableFuture<byte[]> call(byte[] operation, boolean readOnly) {
        Objects.requireNonNull(operation, "operation");
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        if (operation.length > maxOperationBytes) {
            future.completeExceptionally(new RejectedException(RejectedException.Reason.OPERATION_TOO_LARGE,
                    "operation of " + operation.length + " bytes exceeds the " + maxOperationBytes
                            + " bytes a request may carry (protocol.maxBatchBytes of the cluster)"));
            return future;
        }
        if (closed) {
            future.completeExceptionally(closedBeforeSending());
            return future;
        }
        dispatcher.enqueue(new Dispatcher.Call(operation.clone(), future, readOnly));
        if (!loop.run(dispatcher::issueQueued)) {
            // The I/O thread stopped, so the transport is closed and nothing can be sent any more.
            future.completeExceptionally(closedBeforeSending());
        }
        return future;
    }

    /**
     * {@link #invoke} and waits for the result: for a thread that has nothing else to do meanwhile.
     * Many threads may wait on one client at once; up to its window of their calls are outstanding.
     *
     * @throws RejectedException the request was certainly not executed
     * @throws RequestTimeoutException no result within the timeout; the outcome is unknown
     * @throws ClientClosedException the client was closed meanwhile; the outcome is unknown
     * @throws InterruptedException the waiting thread was interrupted; the request stays outstanding
     */
    public byte[] invokeAndWait(byte[] operation)
            throws RejectedException, RequestTimeoutException, ClientClosedException, InterruptedException {
        try {
            return invoke(operation).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RejectedException rejected) {
                throw rejected;
            }
            if (cause instanceof RequestTimeoutException timeout) {
                throw timeout;
            }
            if (cause instanceof ClientClosedException closedMeanwhile) {
                throw closedMeanwhile;
            }
            throw new IllegalStateException("request failed unexpectedly", cause);
        }
    }

    /** This client's id: derived from its identity public key. */
    public long clientId() {
        return clientId;
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public ClientStats stats() {
        return stats;
    }

    /**
     * Fails what is pending (see the class documentation for which exception means what), closes
     * every connection, and stops the default callback thread and the transport if they are the
     * client's own, waiting a bounded time. Idempotent; may be called from a continuation.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            loop.runAndWait(dispatcher::close, CLOSE_WAIT_MILLIS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("client {}: pending requests were not failed cleanly on close", clientId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ReplicaLink link : links) {
            link.close();
        }
        if (ownsTransport) {
            closeTransport();
        }
        if (ownCallbacks != null) {
            stopCallbackThread();
        }
    }

    /** Closing the transport waits for its I/O thread to stop: on that thread (a continuation), for itself. */
    private void closeTransport() {
        if (!loop.inLoop()) {
            transport.close();
            return;
        }
        Thread closer = new Thread(transport::close, String.format("pbft-client-%08x-closing", clientId >>> 32));
        closer.setDaemon(true);
        closer.start();
    }

    private void stopCallbackThread() {
        ownCallbacks.shutdown(); // lets the completions queued by close() run
        if (Thread.currentThread() == callbackThread || loop.inLoop()) {
            // Closed from a continuation: the thread ends once it returns. Or closed on the I/O
            // thread, which must not wait on continuations that may block.
            return;
        }
        try {
            if (!ownCallbacks.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("client {}: callbacks did not finish within {} ms", clientId, CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ExecutorService callbackThread(long id) {
        String name = String.format("pbft-client-%08x-callbacks", id >>> 32);
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            callbackThread = t;
            return t;
        });
    }

    private static RejectedException closedBeforeSending() {
        return new RejectedException(RejectedException.Reason.CLIENT_CLOSED, "client (or its transport) is closed");
    }

    /**
     * A transport sized for {@code cluster}, for many clients to share through
     * {@link Builder#transport}: one set of I/O threads instead of one per client. Its creator
     * closes it, after the clients.
     */
    public static Transport newTransport(ClusterConfig cluster) {
        return new Transport(transportConfig(cluster));
    }

    static TransportConfig transportConfig(ClusterConfig cluster) {
        TransportConfig defaults = TransportConfig.defaults();
        long queued = Math.max(16L * 1024 * 1024, 2L * (cluster.maxFrameBytes() + TransportConfig.LENGTH_PREFIX_BYTES));
        return new TransportConfig(cluster.maxFrameBytes(), queued, defaults.reconnectMinMillis(),
                defaults.reconnectMaxMillis(), 1);
    }

    /**
     * Configures a {@link PbftClient}. Only {@link #cluster} is required.
     *
     * <pre>{@code
     * PbftClient client = PbftClient.builder().cluster(config).retransmitMillis(200).build();
     * }</pre>
     */
    public static final class Builder {
        private ClusterConfig cluster;
        private SigningKey identity;
        private Long retransmitMillis;
        private long escalateMillis = DEFAULT_ESCALATE_MILLIS;
        private long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
        private int window = 1;
        private Transport transport;
        private Executor callbackExecutor;
        private boolean readOnlySafeWrites = true;

        private Builder() {}

        /**
         * Whether ordered requests complete on 2f + 1 matching replies (true, the default) rather
         * than f + 1. 2f + 1 is what keeps the read-only requests of every client linearizable
         * (see {@link PbftClient#invokeReadOnly}); it waits for the (2f + 1)-th replica's reply
         * instead of the (f + 1)-th. Turn it off only in a cluster where no client reads
         * read-only: this client's {@code invokeReadOnly} then orders its reads.
         */
        public Builder readOnlySafeWrites(boolean enabled) {
            this.readOnlySafeWrites = enabled;
            return this;
        }

        /**
         * Where futures complete, so where continuations attached without an executor of their own
         * run. Default: a daemon thread of the client's own (stopped by {@link PbftClient#close}),
         * so that a continuation that blocks delays later completions but never the client's I/O.
         *
         * <p>{@code Runnable::run} completes futures directly on the I/O thread; continuations must
         * not block. It saves a thread hand-off per call, for callers that only attach
         * non-blocking continuations or wait in {@code future.get()} on a thread of their own. A
         * continuation that blocks there stalls every connection of the transport, those of the
         * clients sharing it included.
         *
         * <p>The client does not shut down an executor given here.
         */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
            return this;
        }

        /**
         * A transport to share with other clients (see {@link PbftClient#newTransport}); the client
         * does not close it. Default: a transport of the client's own, closed with it.
         */
        public Builder transport(Transport sharedTransport) {
            this.transport = Objects.requireNonNull(sharedTransport, "sharedTransport");
            return this;
        }

        /** The cluster to talk to (required). */
        public Builder cluster(ClusterConfig cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /** The client's identity key; its hash is the client id. Default: a fresh random key. */
        public Builder identity(SigningKey identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * How long to wait for a result before sending the request to every replica, and between
         * such rounds. Default: the cluster's {@code client.retransmitMillis}.
         */
        public Builder retransmitMillis(long retransmitMillis) {
            this.retransmitMillis = retransmitMillis;
            return this;
        }

        /**
         * How long to wait for the primary alone before sending a request to every replica as well:
         * once the backups have it, they measure how long the primary takes to order it and vote
         * out a primary that is slow on purpose (see {@code SlowPrimaryDefence}); a primary that
         * answers within this never meets their eyes. Default: {@value #DEFAULT_ESCALATE_MILLIS}
         * ms, far above a healthy cluster's latency; capped by {@link #retransmitMillis}.
         */
        public Builder escalateMillis(long escalateMillis) {
            this.escalateMillis = escalateMillis;
            return this;
        }

        /**
         * How many requests may be outstanding at once (see "Ordering and the window" in the class
         * documentation): more lets one client serve many threads, each request still executed
         * once. Default: 1, one at a time in call order. At most {@link #MAX_WINDOW}, the
         * replicas' window per client.
         */
        public Builder window(int window) {
            this.window = window;
            return this;
        }

        /** How long a sent request may take before it fails with a TimeoutException. Default: 30 s. */
        public Builder timeoutMillis(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
            return this;
        }

        /**
         * Connects to every replica (in the background) and returns the client.
         *
         * @throws IllegalStateException if no cluster was given
         * @throws IllegalArgumentException if a duration is not positive
         */
        public PbftClient build() {
            if (cluster == null) {
                throw new IllegalStateException("a cluster configuration is required: call cluster(...)");
            }
            long retransmit = retransmitMillis != null ? retransmitMillis : cluster.clientRetransmitMillis();
            if (retransmit <= 0) {
                throw new IllegalArgumentException("retransmitMillis must be positive, was " + retransmit);
            }
            if (timeoutMillis <= 0) {
                throw new IllegalArgumentException("timeoutMillis must be positive, was " + timeoutMillis);
            }
            if (window < 1 || window > MAX_WINDOW) {
                throw new IllegalArgumentException("window must be in [1, " + MAX_WINDOW + "], was " + window);
            }
            if (escalateMillis <= 0) {
                throw new IllegalArgumentException("escalateMillis must be positive, was " + escalateMillis);
            }
            return new PbftClient(this, retransmit);
        }
    }
}
