package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs one request through a cluster and checks that every replica answers it correctly. */
final class ClusterProbe {

    private static final AtomicInteger PROBES = new AtomicInteger();

    private ClusterProbe() {}

    static void assertExecutes(LocalCluster cluster) throws IOException {
        try (RawClient client = RawClient.connect(cluster.config)) {
            assertExecutes(cluster, client, 1, "value");
        }
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
