package io.pbft.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.statemachine.StateMachine;
import io.pbft.testing.Await;
import io.pbft.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The client against scripted fake replicas: f + 1 matching, retransmission, ordering, outcomes. */
class PbftClientTest {

    private static final long LONG_RETRANSMIT_MILLIS = 60_000;

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static PbftClient client(FakeCluster cluster, long retransmitMillis, long timeoutMillis) {
        return PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).retransmitMillis(retransmitMillis)
                .timeoutMillis(timeoutMillis).build();
    }

    @Test
    void theBuilderRequiresAClusterAndPositiveDurations() throws Exception {
        assertThatThrownBy(() -> PbftClient.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cluster");
        try (FakeCluster cluster = FakeCluster.start(4)) {
            assertThatThrownBy(() -> PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).retransmitMillis(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retransmitMillis");
            assertThatThrownBy(() -> PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).timeoutMillis(-1).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutMillis");
        }
    }

    @Test
    void clientsSharingATransportWorkAndClosingOneLeavesTheOthersConnected() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); Transport shared = PbftClient.newTransport(cluster.config)) {
            PbftClient first = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).transport(shared).build();
            try (PbftClient second = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).transport(shared).build()) {
                first.close();

                CompletableFuture<byte[]> result = second.invoke(bytes("op"));
                Request request = Await.take(cluster.replica(0).received, "request at the primary").request();
                assertThat(request.clientId()).isEqualTo(second.clientId());
                cluster.replica(0).reply(request, 0, bytes("A"));
                cluster.replica(1).reply(request, 0, bytes("A"));
                assertThat(Await.result(result)).isEqualTo(bytes("A"));
            }
        }
    }

    @Test
    void aResultNeedsFPlusOneMatchingReplies() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            Request request = Await.take(cluster.replica(0).received, "request at the primary").request();
            cluster.replica(0).reply(request, 0, bytes("B"));
            cluster.replica(1).reply(request, 0, bytes("A"));
            cluster.replica(2).reply(request, 0, bytes("A"));
            assertThat(Await.result(result)).isEqualTo(bytes("A"));
            assertThat(client.stats().repliesAccepted()).isEqualTo(3);
        }
    }

    @Test
    void theFirstRequestGoesToThePrimaryWithAValidAuthenticatorEntryForEveryReplica() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            FakeReplica.Received received = Await.take(cluster.replica(0).received, "request at the primary");
            assertThat(received.macValid()).isTrue();
            Request request = received.request();
            assertThat(request.clientId()).isEqualTo(client.clientId());
            assertThat(request.operation().toStringUtf8()).isEqualTo("op");
            assertThat(request.authenticator()).hasSize(4).allSatisfy(mac -> assertThat(mac.size()).isEqualTo(16));
            for (int backup = 1; backup < 4; backup++) {
                assertThat(cluster.replica(backup).received).isEmpty();
            }
            cluster.replica(0).reply(request, 0, bytes("r"));
            cluster.replica(3).reply(request, 0, bytes("r"));
            assertThat(Await.result(result)).isEqualTo(bytes("r"));
        }
    }

    @Test
    void withoutAResultTheRequestIsRetransmittedToEveryReplicaWithAFreshAuthenticator() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); PbftClient client = client(cluster, 100, 60_000)) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            Request first = Await.take(cluster.replica(0).received, "request at the primary").request();
            for (int replica = 1; replica < 4; replica++) {
                FakeReplica.Received again = Await.take(cluster.replica(replica).received, "retransmission");
                assertThat(again.request().timestamp()).isEqualTo(first.timestamp());
                assertThat(again.macValid()).isTrue();
            }
            assertThat(client.stats().retransmissions()).isPositive();
            cluster.replica(1).reply(first, 0, bytes("r"));
            cluster.replica(2).reply(first, 0, bytes("r"));
            assertThat(Await.result(result)).isEqualTo(bytes("r"));
        }
    }

    @Test
    void requestsGoOutOneAtATimeInCallOrderWithIncreasingTimestamps() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            long before = System.currentTimeMillis() * 1000;
            List<CompletableFuture<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                results.add(client.invoke(bytes("op-" + i)));
            }
            long previous = 0;
            for (int i = 0; i < 5; i++) {
                Request request = Await.take(cluster.replica(0).received, "request " + i).request();
                assertThat(request.operation().toStringUtf8()).isEqualTo("op-" + i);
                assertThat(request.timestamp()).isGreaterThan(previous).isGreaterThanOrEqualTo(before);
                previous = request.timestamp();
                assertThat(cluster.replica(0).received).as("nothing else is sent before a result").isEmpty();
                assertThat(results.get(i)).isNotDone();
                cluster.replica(0).reply(request, 0, bytes("r" + i));
                cluster.replica(1).reply(request, 0, bytes("r" + i));
                assertThat(Await.result(results.get(i))).isEqualTo(bytes("r" + i));
            }
        }
    }

    @Test
    void repliesWithABadMacAreCountedAndIgnored() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            Request request = Await.take(cluster.replica(0).received, "request").request();
            for (int replica = 0; replica < 3; replica++) {
                cluster.replica(replica).send(reply(request, replica, "forged"), false);
            }
            Await.until(() -> client.stats().repliesRejectedBadMac() == 3, "bad MACs counted");
            cluster.replica(0).reply(request, 0, bytes("real"));
            cluster.replica(1).reply(request, 0, bytes("real"));
            assertThat(Await.result(result)).isEqualTo(bytes("real"));
            assertThat(client.stats().repliesAccepted()).isEqualTo(2);
        }
    }

    @Test
    void aReplyNamingAnotherReplicaOrClientIsRejected() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            Request request = Await.take(cluster.replica(0).received, "request").request();
            // Replica 0 votes twice, the second time in replica 1's name: that vote must not count.
            cluster.replica(0).send(reply(request, 0, "lie"), true);
            cluster.replica(0).send(reply(request, 1, "lie"), true);
            Await.until(() -> client.stats().repliesRejectedMismatched() == 1, "impersonation rejected");
            cluster.replica(1).reply(request, 0, bytes("truth"));
            cluster.replica(2).reply(request, 0, bytes("truth"));
            assertThat(Await.result(result)).isEqualTo(bytes("truth"));
        }
    }

    @Test
    void theNextRequestGoesToThePrimaryOfTheHighestViewSeen() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            CompletableFuture<byte[]> first = client.invoke(bytes("first"));
            Request request = Await.take(cluster.replica(0).received, "first request").request();
            cluster.replica(1).reply(request, 6, bytes("r"));
            cluster.replica(2).reply(request, 6, bytes("r"));
            Await.result(first);
            CompletableFuture<byte[]> second = client.invoke(bytes("second"));
            Request next = Await.take(cluster.replica(2).received, "second request at the primary of view 6").request();
            assertThat(next.operation().toStringUtf8()).isEqualTo("second");
            cluster.replica(2).reply(next, 6, bytes("s"));
            cluster.replica(3).reply(next, 6, bytes("s"));
            assertThat(Await.result(second)).isEqualTo(bytes("s"));
        }
    }

    @Test
    void aRequestWithoutAQuorumTimesOutWithAnUnknownOutcome() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4); PbftClient client = client(cluster, 50, 300)) {
            // Connected first: the timeout is short, and must not run out before anything could be sent.
            Await.until(() -> client.stats().handshakesCompleted() == 4, "handshakes with every replica");
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            assertThat(Await.failure(result)).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("may or may not");
            assertThat(client.stats().requestsTimedOut()).isEqualTo(1);
            // The client moves on to the next request.
            CompletableFuture<byte[]> next = client.invoke(bytes("next"));
            Request request = Await.take(cluster.replica(0).received, "requests").request();
            while (!request.operation().toStringUtf8().equals("next")) {
                request = Await.take(cluster.replica(0).received, "the next request").request();
            }
            cluster.replica(0).reply(request, 0, bytes("ok"));
            cluster.replica(1).reply(request, 0, bytes("ok"));
            assertThat(Await.result(next)).isEqualTo(bytes("ok"));
        }
    }

    @Test
    void aTimeoutShorterThanTheRetransmissionIntervalIsHonoured() throws Exception {
        long anHour = TimeUnit.HOURS.toMillis(1);
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = PbftClient.builder().cluster(cluster.config).readOnlySafeWrites(false).retransmitMillis(anHour)
                        .escalateMillis(anHour).timeoutMillis(100).build()) {
            Await.until(() -> client.stats().handshakesCompleted() == 4, "handshakes with every replica");

            CompletableFuture<byte[]> result = client.invoke(bytes("op"));

            // Within the test's bound, so long before the hour the first retransmission would wait.
            assertThat(Await.failure(result)).isInstanceOf(TimeoutException.class).hasMessageContaining("100 ms");
            assertThat(client.stats().requestsTimedOut()).isEqualTo(1);
            assertThat(client.stats().retransmissions()).isZero();
        }
    }

    @Test
    void aRequestNoReplicaCouldReceiveIsRejectedAsNotSent() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4, Set.of(0, 1, 2, 3)); PbftClient client = client(cluster, 50, 300)) {
            Throwable failure = Await.failure(client.invoke(bytes("op")));
            assertThat(failure).isInstanceOf(RejectedException.class);
            assertThat(((RejectedException) failure).reason()).isEqualTo(RejectedException.Reason.NO_REPLICA_REACHABLE);
        }
    }

    @Test
    void aClientThatReachesNoReplicaFailsOnceEveryOneRefusedNotAtItsTimeout() throws Exception {
        // An hour's timeout: only the refusals can end this request within the test's bound.
        try (FakeCluster cluster = FakeCluster.start(4, Set.of(0, 1, 2, 3));
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 3_600_000)) {
            Throwable failure = Await.failure(client.invoke(bytes("op")));

            assertThat(failure).isInstanceOf(RejectedException.class)
                    .hasMessage("no replica could be reached: replicas 0, 1, 2, 3 refused connection; the request was"
                            + " not sent");
            assertThat(((RejectedException) failure).reason()).isEqualTo(RejectedException.Reason.NO_REPLICA_REACHABLE);
            assertThat(Await.failure(client.invoke(bytes("next")))).isInstanceOf(RejectedException.class);
        }
    }

    @Test
    void aTimeoutSaysHowManyReplicasRepliedAndThatThePrimaryRefusedConnection() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4, Set.of(0)); PbftClient client = client(cluster, 50, 300)) {
            Await.until(() -> client.stats().handshakesCompleted() == 3, "handshakes with the three backups");

            Throwable failure = Await.failure(client.invoke(bytes("op")));

            assertThat(failure).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("may or may not");
            assertThat(((RequestTimeoutException) failure).answers())
                    .isEqualTo("from 4 replicas: 0 replied, the primary (replica 0) refused connection");
        }
    }

    @Test
    void withOneReplicaDownTheFirstRequestLeavesItsEntryEmptyAndProceeds() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4, Set.of(3)); PbftClient client = client(cluster, 100, 60_000)) {
            CompletableFuture<byte[]> result = client.invoke(bytes("op"));
            FakeReplica.Received received = Await.take(cluster.replica(0).received, "request at the primary");
            assertThat(received.macValid()).isTrue();
            assertThat(received.request().authenticator().get(3)).isEqualTo(ByteString.EMPTY);
            assertThat(received.request().authenticator().get(1).size()).isEqualTo(16);
            cluster.replica(0).reply(received.request(), 0, bytes("r"));
            cluster.replica(1).reply(received.request(), 0, bytes("r"));
            assertThat(Await.result(result)).isEqualTo(bytes("r"));
        }
    }

    @Test
    void closingFailsTheOutstandingRequestAsUnknownAndQueuedOnesAsRejected() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000);
            CompletableFuture<byte[]> outstanding = client.invoke(bytes("sent"));
            CompletableFuture<byte[]> queued = client.invoke(bytes("queued"));
            Await.take(cluster.replica(0).received, "the first request");
            client.close();
            assertThat(Await.failure(outstanding)).isInstanceOf(ClientClosedException.class);
            Throwable notSent = Await.failure(queued);
            assertThat(notSent).isInstanceOf(RejectedException.class);
            assertThat(((RejectedException) notSent).reason()).isEqualTo(RejectedException.Reason.CLIENT_CLOSED);
            Throwable afterClose = Await.failure(client.invoke(bytes("late")));
            assertThat(afterClose).isInstanceOf(RejectedException.class);
            client.close(); // idempotent
        }
    }

    @Test
    void aServerHelloWithABadSignatureIsCountedAndTheClientReconnects() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4)) {
            cluster.replica(2).forgedHellos.set(1);
            try (PbftClient client = client(cluster, 50, 60_000)) {
                Await.until(() -> client.stats().handshakesFailed() == 1, "forged hello rejected");
                Await.until(() -> cluster.replica(2).handshakes.get() == 1, "handshake on a new connection");
                assertThat(cluster.replica(2).connections.get()).isEqualTo(2);
            }
        }
    }

    @Test
    void anOperationLargerThanAFrameIsRejectedAtOnce() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            Throwable failure = Await.failure(client.invoke(new byte[cluster.config.maxFrameBytes()]));
            assertThat(((RejectedException) failure).reason()).isEqualTo(RejectedException.Reason.OPERATION_TOO_LARGE);
        }
    }

    @Test
    void concurrentCallersAllGetTheirOwnResults() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4);
                PbftClient client = client(cluster, LONG_RETRANSMIT_MILLIS, 60_000)) {
            cluster.execute(new EchoStateMachine());
            int threads = 4;
            int perThread = 25;
            List<CompletableFuture<List<Boolean>>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int caller = t;
                callers.add(CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<byte[]>> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        results.add(client.invoke(bytes(caller + "/" + i)));
                    }
                    List<Boolean> matches = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        matches.add(new String(results.get(i).join(), UTF_8).equals("echo " + caller + "/" + i));
                    }
                    return matches;
                }));
            }
            for (CompletableFuture<List<Boolean>> caller : callers) {
                assertThat(caller.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).containsOnly(true);
            }
            assertThat(client.stats().requestsCompleted()).isEqualTo(threads * perThread);
        }
    }

    private static Reply reply(Request request, int replica, String result) {
        return new Reply(0, request.clientId(), request.timestamp(), replica, ByteString.copyFromUtf8(result));
    }

    /** Answers "echo " + the operation. */
    static class EchoStateMachine implements StateMachine {
        @Override
        public byte[] execute(byte[] operation) {
            return ("echo " + new String(operation, UTF_8)).getBytes(UTF_8);
        }

        @Override
        public byte[] query(byte[] operation) {
            return execute(operation);
        }

        @Override
        public byte[] stateDigest() {
            return new byte[32];
        }

        @Override
        public byte[] snapshot() {
            return new byte[0];
        }

        @Override
        public void restore(byte[] snapshot) {}
    }
}
