package io.pbft.client;

import com.google.protobuf.ByteString;
import io.pbft.config.ClusterConfig;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.transport.Transport;
import io.pbft.transport.TransportConfig;
import io.pbft.wire.ClientIds;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a PBFT cluster: {@link #invoke} sends an operation and completes with its result
 * once f + 1 replicas returned the same result bytes.
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
 *       reachable, or the operation is too large);
 *   <li>{@link java.util.concurrent.TimeoutException}: sent, but no f + 1 matching replies within
 *       {@code timeoutMillis}; the outcome is <em>unknown</em>;
 *   <li>{@link ClientClosedException}: the client was closed while the request was outstanding;
 *       the outcome is <em>unknown</em>.
 * </ul>
 *
 * <h2>Ordering</h2>
 *
 * PBFT's exactly-once execution relies on one outstanding request per client with increasing
 * timestamps, so calls are queued and sent one at a time, in call order; {@code timeoutMillis}
 * counts from when a request leaves the queue. Timestamps are {@code max(previous + 1,
 * currentTimeMillis * 1000)}, so a client restarted with the same identity keeps increasing them.
 * For parallelism, use several clients (each has its own identity).
 *
 * <h2>Authentication</h2>
 *
 * Each connection to a replica starts with a signed X25519 handshake that agrees on a session
 * key; requests carry a MAC authenticator (one MAC per replica) and replies a MAC, both
 * HMAC-SHA256 truncated to 16 bytes. The client id is a hash of the identity public key.
 *
 * <p>Thread-safe. Futures complete on the client's callback thread: a continuation that blocks
 * delays the completion of later requests, never their sending.
 */
public final class PbftClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PbftClient.class);

    /** Default of {@link Builder#timeoutMillis}. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    /** Room left in a frame for everything in a request but the operation, plus per-replica MACs. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final ClusterConfig cluster;
    private final long clientId;
    private final int maxOperationBytes;
    private final ClientStats stats = new ClientStats();
    private final Transport transport;
    /** False when the transport was given to the builder: it is shared and its owner closes it. */
    private final boolean ownsTransport;
    private final ScheduledExecutorService thread;
    private final ExecutorService callbacks;
    private final ReplicaLink[] links;
    private final Dispatcher dispatcher;
    private volatile boolean closed;
    private volatile Thread callbackThread;

    private PbftClient(Builder builder, long retransmitMillis) {
        this.cluster = builder.cluster;
        SigningKey identity = builder.identity != null ? builder.identity : SigningKey.generate(new SecureRandom());
        this.clientId = ClientIds.fromPublicKey(identity.publicKey());
        int n = cluster.replicaCount();
        this.maxOperationBytes = maxOperationBytes(cluster);
        String name = String.format("pbft-client-%08x", clientId >>> 32);
        this.thread = Executors.newSingleThreadScheduledExecutor(daemon(name));
        this.callbacks = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = daemon(name + "-callbacks").newThread(runnable);
            callbackThread = t;
            return t;
        });
        this.ownsTransport = builder.transport == null;
        this.transport = ownsTransport ? newTransport(cluster) : builder.transport;
        this.links = new ReplicaLink[n];
        ReplicaLink.Events events = new ReplicaLink.Events() {
            @Override
            public void onSession(int replica) {
                runOnClientThread(() -> PbftClient.this.dispatcher.onSession());
            }

            @Override
            public void onReply(Reply reply) {
                runOnClientThread(() -> PbftClient.this.dispatcher.onReply(reply));
            }
        };
        long restartDelayMillis = Math.max(50, retransmitMillis);
        for (int i = 0; i < n; i++) {
            links[i] = new ReplicaLink(cluster.replica(i), identity, clientId, transport, thread, restartDelayMillis,
                    stats, events);
        }
        this.dispatcher = new Dispatcher(clientId, cluster.f(), links, retransmitMillis, builder.timeoutMillis,
                thread, callbacks, stats);
        for (ReplicaLink link : links) {
            link.start();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The largest operation the replicas accept: a request, with a MAC for every replica, must fit
     * in one batch ({@code protocol.maxBatchBytes}), which the cluster config keeps inside a frame.
     */
    static int maxOperationBytes(ClusterConfig cluster) {
        List<ByteString> fullAuthenticator =
                Collections.nCopies(cluster.replicaCount(), ByteString.copyFrom(new byte[SessionKey.MAC_BYTES]));
        Request empty = new Request(0, 0, ByteString.EMPTY, false, fullAuthenticator);
        return cluster.protocol().maxBatchBytes() - empty.sizeBytes();
    }

    /**
     * Sends {@code operation} (copied) to the cluster after the requests called before it, and
     * completes with the result f + 1 replicas agree on. See the class documentation for the
     * exceptions it may complete with.
     */
    public CompletableFuture<byte[]> invoke(byte[] operation) {
        Objects.requireNonNull(operation, "operation");
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        if (operation.length > maxOperationBytes) {
            future.completeExceptionally(new RejectedException(RejectedException.Reason.OPERATION_TOO_LARGE,
                    "operation of " + operation.length + " bytes exceeds the " + maxOperationBytes
                            + " bytes a request may carry (protocol.maxBatchBytes of the cluster)"));
            return future;
        }
        Dispatcher.Call call = new Dispatcher.Call(operation.clone(), future);
        if (closed || !runOnClientThread(() -> dispatcher.submit(call))) {
            future.completeExceptionally(new RejectedException(RejectedException.Reason.CLIENT_CLOSED,
                    "client is closed"));
        }
        return future;
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
     * every connection and stops the client's threads, waiting a bounded time. Idempotent.
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
            Future<?> closing = thread.submit(dispatcher::close);
            closing.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            log.warn("client {}: pending requests were not failed cleanly on close", clientId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ReplicaLink link : links) {
            link.close();
        }
        if (ownsTransport) {
            transport.close();
        }
        thread.shutdownNow();
        callbacks.shutdown(); // lets the completions queued by close() run
        if (Thread.currentThread() == callbackThread) {
            return; // closed from a continuation: the thread ends once it returns
        }
        try {
            if (!callbacks.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("client {}: callbacks did not finish within {} ms", clientId, CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean runOnClientThread(Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
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

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
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
        private long timeoutMillis = DEFAULT_TIMEOUT_MILLIS;
        private Transport transport;

        private Builder() {}

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
            return new PbftClient(this, retransmit);
        }
    }
}
