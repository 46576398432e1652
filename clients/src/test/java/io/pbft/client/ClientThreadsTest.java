package io.pbft.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.message.Request;
import io.pbft.testing.Await;
import io.pbft.transport.Transport;
import io.pbft.transport.TransportConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Where a client's work runs: on an I/O thread of its transport, with no protocol thread of its
 * own; futures complete on the callback executor, by default a thread of the client's own, or
 * directly on the I/O thread with {@code callbackExecutor(Runnable::run)}.
 *
 * <p>A test learns the completing thread from a continuation attached before any reply, and waits
 * on that continuation's stage, never first on the future itself: a thread blocked in
 * {@code get()} on a future may run its pending continuations when it wakes.
 */
class ClientThreadsTest {

    private static final long LONG_RETRANSMIT_MILLIS = 60_000;

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static PbftClient.Builder direct(FakeCluster cluster, Transport shared) {
        return PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).transport(shared).callbackExecutor(Runnable::run)
                .retransmitMillis(LONG_RETRANSMIT_MILLIS).timeoutMillis(60_000);
    }

    /** The thread of a transport with one I/O thread. */
    private static Thread ioThread(Transport transport) throws Exception {
        return transport.ioThread().executor().submit(Thread::currentThread)
                .get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next request at {@code replica}, answered by it and by {@code other}: f + 1 = 2 matching replies. */
    private static Request answer(FakeCluster cluster, int replica, int other, String result) throws Exception {
        Request request = Await.take(cluster.replica(replica).received, "request at replica " + replica).request();
        cluster.replica(replica).reply(request, 0, bytes(result));
        cluster.replica(other).reply(request, 0, bytes(result));
        return request;
    }

    private static List<String> liveThreadsOf(PbftClient client) {
        String prefix = String.format("pbft-client-%08x", client.clientId() >>> 32);
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }

    @Test
    void withADirectCallbackExecutorAFutureCompletesOnTheTransportsIoThread() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config);
                PbftClient client = direct(cluster, shared).build()) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            // Attached before any reply exists, so it runs where the client completes the future.
            CompletableFuture<Thread> completedOn = result.thenApply(bytes -> Thread.currentThread());
            answer(cluster, 0, 1, "r");
            assertThat(Await.result(completedOn)).isSameAs(ioThread(shared));
            assertThat(result.getNow(null)).isEqualTo(bytes("r"));
        }
    }

    @Test
    void byDefaultAFutureCompletesOnTheClientsCallbackThread() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config);
                PbftClient client = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).transport(shared)
                        .retransmitMillis(LONG_RETRANSMIT_MILLIS).build()) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            CompletableFuture<Thread> completedOn = result.thenApply(bytes -> Thread.currentThread());
            answer(cluster, 0, 1, "r");
            Thread thread = Await.result(completedOn);
            assertThat(thread.getName())
                    .isEqualTo(String.format("pbft-client-%08x-callbacks", client.clientId() >>> 32));
            assertThat(thread).isNotSameAs(ioThread(shared));
        }
    }

    @Test
    void aClientRunsNoThreadOfItsOwnButTheDefaultCallbackThread() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config);
                PbftClient direct = direct(cluster, shared).build();
                PbftClient byDefault = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).transport(shared).build()) {
            for (PbftClient client : List.of(direct, byDefault)) {
                CompletableFuture<byte[]> result = client.invoke(bytes("op"));
                answer(cluster, 0, 1, "r");
                Await.result(result);
            }
            assertThat(liveThreadsOf(direct)).isEmpty();
            assertThat(liveThreadsOf(byDefault)).containsExactly(
                    String.format("pbft-client-%08x-callbacks", byDefault.clientId() >>> 32));
        }
    }

    @Test
    void aContinuationThatBlocksTheDefaultCallbackThreadDelaysLaterCompletionsButNotTheRequests() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false)
                        .retransmitMillis(LONG_RETRANSMIT_MILLIS).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<byte[]> first = client.invoke(bytes("first"));
            CompletableFuture<Boolean> blocked = first.thenApply(bytes -> {
                try {
                    return release.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            CompletableFuture<byte[]> second = client.invoke(bytes("second"));
            answer(cluster, 0, 1, "1");
            // A client that reconnects (a handshake slow on a loaded machine) sends "first" again: skip it.
            Request request = Await.take(cluster.replica(0).received, "request at replica 0").request();
            for (int i = 0; i < 10 && request.operation().toStringUtf8().equals("first"); i++) {
                request = Await.take(cluster.replica(0).received, "request at replica 0").request();
            }
            assertThat(request.operation().toStringUtf8()).isEqualTo("second");
            cluster.replica(0).reply(request, 0, bytes("2"));
            cluster.replica(1).reply(request, 0, bytes("2"));
            Await.until(() -> client.stats().requestsCompleted() == 2, "both results accepted");
            assertThat(second).as("completed only by the blocked callback thread").isNotDone();
            release.countDown();
            assertThat(Await.result(second)).isEqualTo(bytes("2"));
            assertThat(Await.result(blocked)).isTrue();
        }
    }

    @Test
    void withADirectCallbackExecutorRetransmissionsAndTheTimeoutRunOnTheIoThread() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config);
                PbftClient client = direct(cluster, shared).retransmitMillis(50).timeoutMillis(300).build()) {
            Await.until(() -> client.stats().handshakesCompleted() == 4, "handshakes with every replica");
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            AtomicReference<Thread> failedOn = new AtomicReference<>();
            CompletableFuture<byte[]> observed =
                    result.whenComplete((bytes, failure) -> failedOn.set(Thread.currentThread()));
            Request sent = Await.take(cluster.replica(0).received, "request at the primary").request();
            for (int replica = 1; replica < 4; replica++) {
                Request again = Await.take(cluster.replica(replica).received, "retransmission").request();
                assertThat(again.timestamp()).isEqualTo(sent.timestamp());
            }
            assertThat(Await.failure(observed)).isInstanceOf(TimeoutException.class);
            assertThat(failedOn.get()).isSameAs(ioThread(shared));
            assertThat(client.stats().requestsTimedOut()).isEqualTo(1);
        }
    }

    @Test
    void withADirectCallbackExecutorClosingFailsTheOutstandingCallAsUnknownAndTheQueuedOneAsNotSent()
            throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config)) {
            PbftClient client = direct(cluster, shared).build();
            CompletableFuture<byte[]> outstanding = client.invoke(bytes("sent"));
            CompletableFuture<byte[]> queued = client.invoke(bytes("queued"));
            CompletableFuture<Thread> failedOn = outstanding.handle((bytes, failure) -> Thread.currentThread());
            Await.take(cluster.replica(0).received, "the first request");
            client.close();
            assertThat(Await.result(failedOn)).isSameAs(ioThread(shared));
            assertThat(Await.failure(outstanding)).isInstanceOf(ClientClosedException.class);
            assertThat(Await.failure(queued)).isInstanceOf(RejectedException.class)
                    .extracting(failure -> ((RejectedException) failure).reason())
                    .isEqualTo(RejectedException.Reason.CLIENT_CLOSED);
        }
    }

    @Test
    void aContinuationOnTheIoThreadMayCloseTheClientAndItsOwnTransport() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            PbftClient client = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).callbackExecutor(Runnable::run)
                    .retransmitMillis(LONG_RETRANSMIT_MILLIS).build();
            CompletableFuture<byte[]> first = client.invoke(bytes("first"));
            CompletableFuture<byte[]> queued = client.invoke(bytes("queued"));
            AtomicBoolean closeReturned = new AtomicBoolean();
            first.thenRun(() -> {
                client.close();
                closeReturned.set(true);
            });
            answer(cluster, 0, 1, "r");
            Await.until(closeReturned::get, "close() returned inside the continuation");
            assertThat(first.getNow(null)).isEqualTo(bytes("r"));
            assertThat(((RejectedException) Await.failure(queued)).reason())
                    .isEqualTo(RejectedException.Reason.CLIENT_CLOSED);
            assertThat(((RejectedException) Await.failure(client.invoke(bytes("late")))).reason())
                    .isEqualTo(RejectedException.Reason.CLIENT_CLOSED);
        }
    }

    @Test
    void aCallMadeInAContinuationOnTheIoThreadIsSentAfterACallMadeBeforeItOnAnotherThread() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config);
                PbftClient client = direct(cluster, shared).build()) {
            CompletableFuture<byte[]> first = client.invoke(bytes("first"));
            AtomicReference<CompletableFuture<byte[]>> second = new AtomicReference<>();
            CompletableFuture<byte[]> third = first.thenCompose(bytes -> {
                // "second" is called, and returns, while this I/O thread is busy: its hand-off to
                // the I/O thread waits, yet "third", called after it, must not overtake it.
                second.set(CompletableFuture.supplyAsync(() -> client.invoke(bytes("second")))
                        .orTimeout(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join());
                return client.invoke(bytes("third"));
            });
            for (String operation : List.of("first", "second", "third")) {
                Request request = answer(cluster, 0, 1, "r-" + operation);
                assertThat(request.operation().toStringUtf8()).isEqualTo(operation);
            }
            assertThat(Await.result(third)).isEqualTo(bytes("r-third"));
            assertThat(Await.result(second.get())).isEqualTo(bytes("r-second"));
        }
    }

    @Test
    void withSeveralIoThreadsRepliesArrivingOnAnyOfThemCompleteOnTheClientsOne() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            TransportConfig one = PbftClient.transportConfig(cluster.config);
            TransportConfig four = new TransportConfig(one.maxFrameBytes(), one.maxQueuedBytesPerConnection(),
                    one.reconnectMinMillis(), one.reconnectMaxMillis(), 4);
            try (Transport shared = new Transport(four); PbftClient client = direct(cluster, shared).build()) {
                // The replicas' connections are spread over the four threads: replies from 0 and 1,
                // then from 2 and 3, arrive on different ones, yet must complete on the same one.
                CompletableFuture<byte[]> first = client.invoke(bytes("first"));
                CompletableFuture<Thread> firstOn = first.thenApply(bytes -> Thread.currentThread());
                answer(cluster, 0, 1, "1");
                CompletableFuture<byte[]> second = client.invoke(bytes("second"));
                CompletableFuture<Thread> secondOn = second.thenApply(bytes -> Thread.currentThread());
                Request request = Await.take(cluster.replica(0).received, "second request").request();
                cluster.replica(2).reply(request, 0, bytes("2"));
                cluster.replica(3).reply(request, 0, bytes("2"));
                assertThat(Await.result(secondOn)).isSameAs(Await.result(firstOn));
                assertThat(Await.result(firstOn).getName()).startsWith("pbft-transport-io");
                assertThat(second.getNow(null)).isEqualTo(bytes("2"));
            }
        }
    }

    @Test
    void closingAClientAfterItsSharedTransportStillFailsItsOutstandingCall() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            Transport shared = PbftClient.newTransport(cluster.config);
            PbftClient client = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).transport(shared)
                    .retransmitMillis(LONG_RETRANSMIT_MILLIS).build();
            CompletableFuture<byte[]> outstanding = client.invoke(bytes("sent"));
            Await.take(cluster.replica(0).received, "the request");
            shared.close();
            assertThat(((RejectedException) Await.failure(client.invoke(bytes("late")))).reason())
                    .isEqualTo(RejectedException.Reason.CLIENT_CLOSED);
            client.close();
            assertThat(Await.failure(outstanding)).isInstanceOf(ClientClosedException.class);
        }
    }
}
