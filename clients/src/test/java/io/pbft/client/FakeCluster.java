package io.pbft.client;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Request;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.StateMachine;
import io.pbft.transport.Transport;
import io.pbft.transport.TransportConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fake replicas on ephemeral ports (bound first, so the configuration names real ports), and
 * replicas that are down: a port that was free and is closed again.
 */
final class FakeCluster implements AutoCloseable {

    final ClusterConfig config;
    final FakeReplica[] replicas;
    private final Transport transport;
    /** Replies are sent from here, not from an I/O thread: sending may wait for a client's hello. */
    private final ExecutorService replier = Executors.newSingleThreadExecutor();

    private FakeCluster(ClusterConfig config, FakeReplica[] replicas, Transport transport) {
        this.config = config;
        this.replicas = replicas;
        this.transport = transport;
    }

    static FakeCluster start(int n, Set<Integer> down) throws IOException {
        Transport transport = new Transport(TransportConfig.defaults());
        FakeReplica[] replicas = new FakeReplica[n];
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        try {
            for (int i = 0; i < n; i++) {
                SigningKey key = SigningKey.generate(random);
                int port;
                if (down.contains(i)) {
                    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                        port = socket.getLocalPort();
                    }
                } else {
                    replicas[i] = new FakeReplica(i, key);
                    port = replicas[i].listen(transport);
                }
                // The client never uses the replica port: any valid number will do.
                endpoints.add(new ReplicaEndpoint(i, "127.0.0.1", port, port, key.publicKey()));
            }
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw e;
        }
        return new FakeCluster(new ClusterConfig(endpoints, ReplicaConfig.defaults(n, 0).withMaxBatchBytes((1 << 20) - ClusterConfig.FRAME_ENVELOPE_BYTES), 1 << 20, 10_000), replicas,
                transport);
    }

    static FakeCluster start(int n) throws IOException {
        return start(n, Set.of());
    }

    FakeReplica replica(int id) {
        return replicas[id];
    }

    /**
     * Makes the fakes behave like a correct cluster: a request reaching any of them is executed once
     * on {@code stateMachine}, and every live fake replies with the result.
     */
    void execute(StateMachine stateMachine) {
        Map<Long, Map<Long, byte[]>> results = new HashMap<>();
        for (FakeReplica replica : replicas) {
            if (replica == null) {
                continue;
            }
            replica.onRequest((fake, received) -> {
                Request request = received.request();
                byte[] result;
                synchronized (results) {
                    result = results.computeIfAbsent(request.clientId(), c -> new HashMap<>())
                            .computeIfAbsent(request.timestamp(), t -> stateMachine.execute(request.operation().toByteArray()));
                }
                replier.execute(() -> {
                    for (FakeReplica other : replicas) {
                        if (other != null) {
                            other.reply(request, 0, result);
                        }
                    }
                });
            });
        }
    }

    @Override
    public void close() {
        for (FakeReplica replica : replicas) {
            if (replica != null) {
                replica.close();
            }
        }
        replier.shutdownNow();
        transport.close();
    }
}
