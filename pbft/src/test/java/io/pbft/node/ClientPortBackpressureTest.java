package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.testing.Await;
import io.pbft.wire.proto.ReplicaFrame;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that writes requests faster than the primary's core takes them is read no faster than
 * that (issue 10, item 3): its connection is paused when it has used its read budget and resumed
 * at the next drain, nothing it sent is lost on the way, and a client waiting for its replies
 * meanwhile has every request answered.
 */
class ClientPortBackpressureTest {

    private static final int PRIMARY = 0;
    private static final int FLOOD_REQUESTS = 1_500;
    private static final int HONEST_REQUESTS = 20;
    /** Replies to the flood the flooder may read before its status report; more than it can get. */
    private static final int MAX_FRAMES_BEFORE_STATUS = FLOOD_REQUESTS + 1;

    /** One I/O thread: the core shares it, as on a small machine; two: the core has its own thread. */
    @ParameterizedTest(name = "{0} I/O thread(s)")
    @ValueSource(ints = {1, 2})
    void aFloodingClientIsPausedAndResumedWhileAnHonestClientIsServed(int ioThreads) throws Exception {
        ExecutorService flooderThread = Executors.newSingleThreadExecutor();
        try (LocalCluster cluster = LocalCluster.start(4, ReplicaConfig.defaults(4, 0), 1 << 20, ioThreads);
                RawClient flooder = RawClient.connect(cluster.config);
                RawClient honest = RawClient.connect(cluster.config)) {
            NodeMetrics primary = cluster.node(PRIMARY).metrics();
            byte[] flood = floodBytes(flooder);

            // One write of every frame: the primary reads them many to a read, far over the budget.
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    flooder.connections[PRIMARY].sendRaw(flood);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, flooderThread);
            for (long timestamp = 1; timestamp <= HONEST_REQUESTS; timestamp++) {
                ClusterProbe.assertExecutes(cluster, honest, timestamp, "honest " + timestamp);
            }
            Await.result(written);

            // Held frames are delivered after the resume, in order: the status query after the flood is answered.
            assertThat(statusAfterReplies(flooder).getReplica()).isEqualTo(PRIMARY);
            assertThat(primary.clientReadsPausedCount()).isPositive();
            Await.until(() -> primary.clientReadsResumedCount() == primary.clientReadsPausedCount(),
                    "every paused client connection resumed");
            assertThat(primary.nonZeroCounters()).containsKeys("client_reads_paused", "client_reads_resumed");
        } finally {
            flooderThread.shutdownNow();
        }
    }

    /** Signed requests with timestamps 1..FLOOD_REQUESTS, then a status query, framed back to back. */
    private static byte[] floodBytes(RawClient flooder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (long timestamp = 1; timestamp <= FLOOD_REQUESTS; timestamp++) {
            writeFrame(out, RawClient.requestFrame(flooder.request(timestamp, KvOps.put("flood", "v" + timestamp))));
        }
        writeFrame(out, RawClient.statusQuery());
        return bytes.toByteArray();
    }

    private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    private static io.pbft.wire.proto.StatusReport statusAfterReplies(RawClient flooder) throws IOException {
        for (int read = 0; read < MAX_FRAMES_BEFORE_STATUS; read++) {
            ReplicaFrame frame = ReplicaFrame.parseFrom(flooder.connections[PRIMARY].receive());
            if (frame.hasStatusReport()) {
                return frame.getStatusReport();
            }
            assertThat(frame.hasReply()).as("a frame to the flooder before its status report").isTrue();
        }
        throw new AssertionError("no status report among " + MAX_FRAMES_BEFORE_STATUS + " frames");
    }
}
