package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.testing.Await;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one request through a cluster and checks that every replica answers it correctly. */
final class ClusterProbe {

    private static final AtomicInteger PROBES = new AtomicInteger();

    private ClusterProbe() {}

    static void assertExecutes(LocalCluster cluster) throws IOException {
        try (RawClient client = connectOnceThereIsRoom(cluster)) {
            assertExecutes(cluster, client, 1, "value");
        }
    }

    /**
     * A test that filled a replica's connection limit closes its connections before probing, but
     * the replica counts them open until its I/O thread sees them close; until then it refuses a
     * new one (closes it before its hello). Such a refusal is tried again, within the test's bound.
     */
    private static RawClient connectOnceThereIsRoom(LocalCluster cluster) {
        AtomicReference<RawClient> connected = new AtomicReference<>();
        Await.until(() -> {
            try {
                connected.set(RawClient.connect(cluster.config));
                return true;
            } catch (EOFException refused) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "a client connection every replica accepts");
        return connected.get();
    }

    /** The same with a client already connected: its request {@code timestamp} puts {@code value}. */
    static void assertExecutes(LocalCluster cluster, RawClient client, long timestamp, String value)
            throws IOException {
        String key = "probe-" + PROBES.incrementAndGet();
        byte[] operation = KvOps.put(key, value);
        byte[] expected = new KeyValueStateMachine().execute(operation);
        Request request = client.request(timestamp, operation);
        client.send(0, request);
        for (int replica = 0; replica < cluster.size(); replica++) {
            Reply reply = client.reply(replica);
            assertThat(reply.replica()).isEqualTo(replica);
            assertThat(reply.clientId()).isEqualTo(client.clientId);
            assertThat(reply.timestamp()).isEqualTo(timestamp);
            assertThat(reply.result().toByteArray()).isEqualTo(expected);
        }
    }
}
