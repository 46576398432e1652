package io.pbft.client;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ConfigException;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.node.LocalCluster;
import io.pbft.node.ReplicaNode;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Real replica nodes in this JVM over loopback: keys generated and written as key files, the
 * configuration written to a file and read back, as an operator would. Ports are probed free and
 * then bound by the nodes; if one was taken in between, the start is retried with fresh ports.
 */
public final class LiveCluster implements AutoCloseable {

    public final ClusterConfig config;
    private final ReplicaNode[] nodes;

    private LiveCluster(ClusterConfig config, ReplicaNode[] nodes) {
        this.config = config;
        this.nodes = nodes;
    }

    public static LiveCluster start(Path directory, int replicas, ReplicaConfig protocol, long clientRetransmitMillis)
            throws IOException, ConfigException {
        SecureRandom random = new SecureRandom();
        List<SigningKey> keys = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            Path file = directory.resolve("keys").resolve("replica-" + i + ".key");
            KeyFile.replace(file, KeyIdentity.replica(i, SigningKey.generate(random)));
            keys.add(KeyFile.read(file).key());
        }
        return LocalCluster.startWithRetry(keys, protocol, ports -> {
            Path file = directory.resolve("cluster.properties");
            Files.deleteIfExists(file);
            new ClusterConfig(ports.replicas(), protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES, clientRetransmitMillis)
                    .write(file);
            ClusterConfig config = readBack(file);
            ReplicaNode[] nodes = new ReplicaNode[replicas];
            try {
                for (int i = 0; i < replicas; i++) {
                    nodes[i] = ReplicaNode.start(config, i, keys.get(i), new KeyValueStateMachine());
                }
                return new LiveCluster(config, nodes);
            } catch (IOException e) {
                LocalCluster.closeAll(nodes); // a probed port was taken meanwhile: the caller retries with others
                throw e;
            }
        });
    }

    /** The config file as an operator's replica reads it; it was just written, so it must load. */
    private static ClusterConfig readBack(Path file) throws IOException {
        try {
            return ClusterConfig.load(file);
        } catch (ConfigException e) {
            throw new IllegalStateException("a cluster config this test wrote does not load again", e);
        }
    }

    ReplicaNode node(int id) {
        return nodes[id];
    }

    /**
     * Waits, bounded, until every replica answers a status query with the same last executed
     * sequence number and state digest, and returns their statuses.
     *
     * @throws AssertionError if they do not within 30 s
     */
    public List<ReplicaStatus> awaitConverged() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<ReplicaStatus> statuses = StatusClient.query(config, Duration.ofSeconds(2));
        while (!converged(statuses) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            statuses = StatusClient.query(config, Duration.ofSeconds(2));
        }
        if (!converged(statuses)) {
            throw new AssertionError("replicas did not converge: " + statuses);
        }
        return statuses;
    }

    private static boolean converged(List<ReplicaStatus> statuses) {
        ReplicaStatus first = statuses.get(0);
        return statuses.stream().allMatch(s -> s.reachable() && s.lastExecuted() == first.lastExecuted()
                && s.stateDigestHex().equals(first.stateDigestHex()));
    }

    /** Stops one replica: it goes silent, as a crashed one would. */
    public void stop(int id) {
        nodes[id].close();
    }

    @Override
    public void close() {
        LocalCluster.closeAll(nodes);
    }
}
