package io.pbft.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.core.message.Request;
import io.pbft.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A client with a window: how many requests it lets out at once, their timestamps, and what
 * becomes of them when the client closes. Fake replicas, which answer only when told to.
 */
class ClientWindowTest {

    private static final int WINDOW = 4;
    private static final long LONG_MILLIS = 60_000;

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static PbftClient client(FakeCluster cluster) {
        // Retransmission far off: every request reaches the primary once, and only the primary. The
        // fake replicas answer f + 1 times.
        return PbftClient.builder().cluster(cluster.config).retransmitMillis(LONG_MILLIS).escalateMillis(LONG_MILLIS)
                .timeoutMillis(LONG_MILLIS).window(WINDOW).readOnlySafeWrites(false).build();
    }

    private static List<Request> takeAtPrimary(FakeCluster cluster, int count) throws InterruptedException {
        List<Request> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(Await.take(cluster.replica(0).received, "request at the primary").request());
        }
        return taken;
    }

    /** f + 1 = 2 matching replies complete a request. */
    private static void answer(FakeCluster cluster, Request request, String result) {
        cluster.replica(0).reply(request, 0, bytes(result));
        cluster.replica(1).reply(request, 0, bytes(result));
    }

    @Test
    void aWindowOfRequestsGoesOutAtOnceWithConsecutiveTimestamps() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); PbftClient client = client(cluster)) {
            List<CompletableFuture<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < WINDOW + 2; i++) {
                results.add(client.invoke(bytes("op" + i)));
            }

            List<Request> sent = takeAtPrimary(cluster, WINDOW);
            long first = sent.get(0).timestamp();
            assertThat(sent).extracting(Request::timestamp)
                    .containsExactly(first, first + 1, first + 2, first + 3);
            assertThat(sent).extracting(request -> request.operation().toStringUtf8())
                    .containsExactly("op0", "op1", "op2", "op3");

            // Out of order: the newest first. The oldest still bounds the window, so nothing more goes out.
            answer(cluster, sent.get(3), "r3");
            assertThat(Await.result(results.get(3))).isEqualTo(bytes("r3"));
            assertThat(results.get(0)).isNotDone();
            answer(cluster, sent.get(0), "r0");
            assertThat(Await.result(results.get(0))).isEqualTo(bytes("r0"));

            // The oldest is now op1: one more fits below op1 + WINDOW.
            assertThat(takeAtPrimary(cluster, 1)).extracting(Request::timestamp).containsExactly(first + 4);
            answer(cluster, sent.get(1), "r1");
            assertThat(Await.result(results.get(1))).isEqualTo(bytes("r1"));
            assertThat(takeAtPrimary(cluster, 1)).extracting(Request::timestamp).containsExactly(first + 5);
            assertThat(results.get(2)).isNotDone();
        }
    }

    @Test
    void closingFailsEveryOutstandingRequestAndEveryQueuedCall() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            PbftClient client = client(cluster);
            List<CompletableFuture<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < WINDOW + 3; i++) {
                results.add(client.invoke(bytes("op" + i)));
            }
            takeAtPrimary(cluster, WINDOW);

            client.close();

            for (int i = 0; i < WINDOW; i++) {
                assertThat(Await.failure(results.get(i))).as("sent request %d", i)
                        .isInstanceOf(ClientClosedException.class);
            }
            for (int i = WINDOW; i < WINDOW + 3; i++) {
                assertThat(Await.failure(results.get(i))).as("queued call %d", i)
                        .isInstanceOfSatisfying(RejectedException.class,
                                e -> assertThat(e.reason()).isEqualTo(RejectedException.Reason.CLIENT_CLOSED));
            }
        }
    }

    @Test
    void theWindowIsAtLeastOneAndAtMostTheReplicas() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            assertThatThrownBy(() -> PbftClient.builder().cluster(cluster.config).window(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
            assertThatThrownBy(() -> PbftClient.builder().cluster(cluster.config).window(PbftClient.MAX_WINDOW + 1)
                    .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        }
    }
}
