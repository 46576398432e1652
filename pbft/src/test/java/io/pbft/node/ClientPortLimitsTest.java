package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import io.pbft.testing.Await;
import io.pbft.transport.ListenerLimits;
import io.pbft.transport.TransportStats;
import io.pbft.wire.proto.Counter;
import io.pbft.wire.proto.ReplicaFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stranger can hold of a replica's client port (issue 10, problem 3): connections, and time
 * without a handshake or without a word. Each test starts a cluster with the limits it needs.
 */
class ClientPortLimitsTest {

    private static final int TARGET = 1;
    private static final int MAX_CONNECTIONS_PER_ADDRESS = 8;

    private final List<AutoCloseable> open = new ArrayList<>();
    private LocalCluster cluster;

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (cluster != null) {
            ClusterProbe.assertExecutes(cluster);
            cluster.close();
        }
    }

    @Test
    void connectionsBeyondTheLimitOfOneAddressAreClosedAtOnceWhileAConnectedClientIsServed() throws Exception {
        start(ListenerLimits.defaults().withMaxConnections(64, MAX_CONNECTIONS_PER_ADDRESS));
        RawClient honest = track(RawClient.connect(cluster.config)); // one of the address's connections
        for (int i = 1; i < MAX_CONNECTIONS_PER_ADDRESS; i++) {
            helloRead(); // admitted: the replica said hello
        }

        for (int i = 0; i < 5; i++) {
            assertThat(clientPort().closedByPeer()).as("a connection beyond the limit closed").isTrue();
        }

        TransportStats stats = cluster.node(TARGET).metrics().transport();
        assertThat(stats.connectionsRefusedAddressFull()).isEqualTo(5);
        assertThat(reportedCounter(honest, "transport.connections_refused_address_full")).isEqualTo(5);
        ClusterProbe.assertExecutes(cluster, honest, 1, "still served");
    }

    @Test
    void aConnectionThatNeverCompletesItsHandshakeIsClosedAndReported() throws Exception {
        // Long enough for any honest handshake on this machine; the test waits it out once.
        start(ListenerLimits.defaults().withHandshakeTimeoutMillis(1_000));

        assertThat(helloRead().closedByPeer()).isTrue();

        TransportStats stats = cluster.node(TARGET).metrics().transport();
        assertThat(stats.connectionsClosedHandshakeTimeout()).isEqualTo(1);
        RawClient observer = track(RawClient.connect(cluster.config));
        assertThat(reportedCounter(observer, "transport.connections_closed_handshake_timeout")).isEqualTo(1);
    }

    @Test
    void aClientConnectionOnWhichNothingArrivesIsClosedAfterTheIdleTimeout() throws Exception {
        start(ListenerLimits.defaults().withIdleTimeoutMillis(1_000));
        RawClient quiet = track(RawClient.connect(cluster.config));

        assertThat(quiet.connections[TARGET].closedByPeer()).isTrue();

        TransportStats stats = cluster.node(TARGET).metrics().transport();
        Await.until(() -> stats.connectionsClosedIdle() == 1, "the idle close counted");
        assertThat(stats.connectionsClosedHandshakeTimeout()).isZero();
    }

    private void start(ListenerLimits limits) throws IOException {
        cluster = LocalCluster.start(4, ReplicaConfig.defaults(4, 0).withWindow(16, 4),
                ReplicaPortDefenceTest.MAX_FRAME_BYTES, ReplicaNode.defaultIoThreads(), limits);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private RawConnection clientPort() throws IOException {
        return track(new RawConnection(LocalCluster.HOST, cluster.node(TARGET).clientPort()));
    }

    /** A connection to the client port whose server hello was read. */
    private RawConnection helloRead() throws IOException {
        RawConnection connection = clientPort();
        assertThat(ReplicaFrame.parseFrom(connection.receive()).hasHello()).isTrue();
        return connection;
    }

    /** A counter as the status report shows it, which is what {@code scripts/pbft status --counters} prints. */
    private static long reportedCounter(RawClient client, String name) throws IOException {
        return client.status(TARGET).getCountersList().stream()
                .filter(counter -> counter.getName().equals(name))
                .mapToLong(Counter::getValue)
                .findFirst()
                .orElse(0);
    }
}
