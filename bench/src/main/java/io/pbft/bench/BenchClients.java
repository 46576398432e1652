package io.pbft.bench;

import io.pbft.cli.workload.ClusterKv;
import io.pbft.client.PbftClient;
import io.pbft.config.ClusterConfig;
import io.pbft.transport.Transport;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The closed-loop clients of one benchmark run: each its own {@link PbftClient} with a fresh
 * identity, all on one transport (a transport per client would cost each its own I/O threads);
 * or, pipelined, closed loops that all share one {@link PbftClient} whose window lets each have its
 * operation outstanding. Closing closes the clients, then the transport.
 */
final class BenchClients implements AutoCloseable {

    private final Transport transport;
    private final List<ClusterKv> targets;

    private BenchClients(Transport transport, List<ClusterKv> targets) {
        this.transport = transport;
        this.targets = List.copyOf(targets);
    }

    static BenchClients connect(ClusterConfig config, int count, long timeoutMillis, SecureRandom random) {
        return connect(config, count, timeoutMillis, random, false);
    }

    /** As {@link #connect(ClusterConfig, int, long, SecureRandom)}; gets ordered, not read-only, if {@code orderedGets}. */
    static BenchClients connect(ClusterConfig config, int count, long timeoutMillis, SecureRandom random,
            boolean orderedGets) {
        Transport transport = PbftClient.newTransport(config);
        List<ClusterKv> targets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                targets.add(ClusterKv.connect(config, timeoutMillis, random, transport, 1, orderedGets));
            }
        } catch (RuntimeException e) {
            targets.forEach(ClusterKv::close);
            transport.close();
            throw e;
        }
        return new BenchClients(transport, targets);
    }

    /** {@code loops} closed loops over one client with a window of {@code loops} outstanding requests. */
    static BenchClients pipelined(ClusterConfig config, int loops, long timeoutMillis, SecureRandom random,
            boolean orderedGets) {
        Transport transport = PbftClient.newTransport(config);
        try {
            ClusterKv shared = ClusterKv.connect(config, timeoutMillis, random, transport, loops, orderedGets);
            return new BenchClients(transport, Collections.nCopies(loops, shared));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    List<ClusterKv> targets() {
        return targets;
    }

    @Override
    public void close() {
        try {
            targets.forEach(ClusterKv::close); // a shared one closes once: closing a client is idempotent
        } finally {
            transport.close();
        }
    }
}
