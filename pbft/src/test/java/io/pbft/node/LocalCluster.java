package io.pbft.node;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.StateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.transport.ListenerLimits;
import io.pbft.metrics.Metrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Replica nodes of one cluster in this JVM, on 127.0.0.1. The configuration needs fixed ports,
 * so free ones are found by binding port 0 and closing; another process may take one in between,
 * so a failed start is retried a bounded number of times with fresh ports.
 */
public final class LocalCluster implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 5;

    final ClusterConfig config;
    final List<SigningKey> keys;
    private final ReplicaNode[] nodes;

    private LocalCluster(ClusterConfig config, List<SigningKey> keys, ReplicaNode[] nodes) {
        this.config = config;
        this.keys = keys;
        this.nodes = nodes;
    }

    static List<SigningKey> generateKeys(int count) {
        SecureRandom random = new SecureRandom();
        List<SigningKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(SigningKey.generate(random));
        }
        return keys;
    }

    /** A configuration for {@code keys} on free ports of 127.0.0.1. */
    static ClusterConfig config(List<SigningKey> keys, ReplicaConfig protocol, int maxFrameBytes) throws IOException {
        return config(keys, protocol, maxFrameBytes, ListenerLimits.defaults());
    }

    /** As {@link #config(List, ReplicaConfig, int)}, with {@code limits} on the replicas' ports. */
    static ClusterConfig config(List<SigningKey> keys, ReplicaConfig protocol, int maxFrameBytes,
            ListenerLimits limits) throws IOException {
        int[] ports = freePorts(2 * keys.size());
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            endpoints.add(new ReplicaEndpoint(i, HOST, ports[2 * i], ports[2 * i + 1], keys.get(i).publicKey()));
        }
        int batchBytes = Math.min(protocol.maxBatchBytes(), maxFrameBytes - ClusterConfig.FRAME_ENVELOPE_BYTES);
        return new ClusterConfig(endpoints, protocol.withMaxBatchBytes(batchBytes), maxFrameBytes, 200, limits);
    }

    static LocalCluster start(int replicas, ReplicaConfig protocol, int maxFrameBytes) throws IOException {
        return start(replicas, protocol, maxFrameBytes, ReplicaNode.defaultIoThreads());
    }

    /** With {@code ioThreads} I/O threads per replica: one runs the core on it, more give the core its own. */
    static LocalCluster start(int replicas, ReplicaConfig protocol, int maxFrameBytes, int ioThreads)
            throws IOException {
        return start(replicas, protocol, maxFrameBytes, ioThreads, ListenerLimits.defaults());
    }

    /** As {@link #start(int, ReplicaConfig, int, int)}, with {@code limits} on the replicas' ports. */
    static LocalCluster start(int replicas, ReplicaConfig protocol, int maxFrameBytes, int ioThreads,
            ListenerLimits limits) throws IOException {
        return start(replicas, protocol, maxFrameBytes, ioThreads, limits, id -> new KeyValueStateMachine());
    }

    /** As {@link #start(int, ReplicaConfig, int)}, replica i running {@code services.apply(i)}. */
    static LocalCluster start(int replicas, ReplicaConfig protocol, int maxFrameBytes,
            IntFunction<StateMachine> services) throws IOException {
        return start(replicas, protocol, maxFrameBytes, ReplicaNode.defaultIoThreads(), ListenerLimits.defaults(),
                services);
    }

    private static LocalCluster start(int replicas, ReplicaConfig protocol, int maxFrameBytes, int ioThreads,
            ListenerLimits limits, IntFunction<StateMachine> services) throws IOException {
        List<SigningKey> keys = generateKeys(replicas);
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            ClusterConfig config = config(keys, protocol, maxFrameBytes, limits);
            ReplicaNode[] nodes = new ReplicaNode[replicas];
            try {
                for (int i = 0; i < replicas; i++) {
                    nodes[i] = ReplicaNode.start(config, i, keys.get(i), services.apply(i),
                            Metrics.NONE, ioThreads);
                }
                return new LocalCluster(config, keys, nodes);
            } catch (IOException e) {
                last = e; // a port was taken between probing and binding: try other ports
                closeAll(nodes);
            }
        }
        throw last;
    }

    /** Starts something that binds the ports of a fresh configuration, retrying when a port was taken. */
    public interface Starter<T> {
        T start(ClusterConfig config) throws IOException;
    }

    public static <T> T startWithRetry(List<SigningKey> keys, ReplicaConfig protocol, Starter<T> starter) throws IOException {
        return startWithRetry(keys, protocol, 1 << 20, starter);
    }

    /** As {@link #startWithRetry(List, ReplicaConfig, Starter)}, with frames of up to {@code maxFrameBytes}. */
    public static <T> T startWithRetry(List<SigningKey> keys, ReplicaConfig protocol, int maxFrameBytes,
            Starter<T> starter) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                return starter.start(config(keys, protocol, maxFrameBytes));
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    ReplicaNode node(int id) {
        return nodes[id];
    }

    int size() {
        return nodes.length;
    }

    @Override
    public void close() {
        closeAll(nodes);
    }

    /** Closes every node started so far; the others are null. */
    public static void closeAll(ReplicaNode[] nodes) {
        for (ReplicaNode node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }

    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }
}
