package io.pbft.chaos.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.client.KvClient;
import io.pbft.client.PbftClient;
import io.pbft.client.ReplicaStatus;
import io.pbft.testing.Await;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Read-only gets in a live cluster with a replica that lies (the chaos {@code wrong-replies}
 * behaviour) and one that lags (stopped with SIGSTOP): a read that cannot gather 2f + 1 matching
 * replies is ordered instead and returns the last write; a write cannot complete on the two correct
 * replicas and the liar, which is what keeps a later read-only quorum from being stale.
 */
class ReadOnlyLiveTest extends LiveClusterTest {

    private static final int LIAR = 2;
    private static final int LAGGING = 3;

    private void startWithALiar() throws Exception {
        startReplicas(smallWindow(64, 16), launch -> launch.withMisbehaviour(LIAR, "wrong-replies"));
    }

    private KvClient kv() {
        return new KvClient(PbftClient.builder().cluster(replicas.config()).build());
    }

    @Test
    void aReadThatALiarAndAStoppedReplicaLeaveWithoutAQuorumIsOrderedAndReturnsTheLastWrite() throws Exception {
        startWithALiar();
        try (KvClient kv = kv()) {
            assertThat(Await.result(kv.put("k", "v1"))).isEmpty();
            // Three correct replicas outvote the liar: answered without ordering.
            assertThat(Await.result(kv.get("k"))).contains("v1");
            assertThat(kv.client().stats().readOnlyAnswered()).isEqualTo(1);

            replicas.pause(LAGGING);
            CompletableFuture<Optional<String>> read;
            try {
                read = kv.get("k");
                Await.until(() -> kv.client().stats().readOnlyOrdered() == 1,
                        "the read answered alike by two correct replicas only was sent again, ordered");
            } finally {
                replicas.resume(LAGGING);
            }

            assertThat(Await.result(read)).contains("v1");
            assertThat(kv.client().stats().readOnlyAnswered()).isEqualTo(1);
        }
        assertThat(replicas.log(LIAR).lines()).anyMatch(line -> line.contains("misbehaves on purpose: wrong-replies"));
    }

    @Test
    void aWriteWaitsForTheStoppedReplicaSoThatTheNextReadOnlyQuorumSeesIt() throws Exception {
        startWithALiar();
        try (KvClient kv = kv()) {
            assertThat(Await.result(kv.put("k", "v1"))).isEmpty();
            long executedBefore = replicas.statuses().get(0).lastExecuted();

            replicas.pause(LAGGING);
            CompletableFuture<Optional<String>> write;
            CompletableFuture<Optional<String>> read;
            try {
                write = kv.put("k", "v2");
                read = kv.get("k"); // sent once the write completed
                awaitStatuses(statuses -> executedAt(statuses, 0) > executedBefore && executedAt(statuses, 1)
                        > executedBefore, "replicas 0 and 1 executed the write");
                // Two correct replies and a wrong one: f + 1 would do, 2f + 1 does not. Had the write
                // completed now, the stopped replica, one more stale one and the liar could answer
                // the next read alike with the old value.
                assertThat(write).isNotDone();
            } finally {
                replicas.resume(LAGGING);
            }

            assertThat(Await.result(write)).contains("v1");
            assertThat(Await.result(read)).contains("v2");
            assertThat(kv.client().stats().readOnlyAnswered()).isEqualTo(1);
        }
    }

    private static long executedAt(List<ReplicaStatus> statuses, int replica) {
        return statuses.get(replica).reachable() ? statuses.get(replica).lastExecuted() : -1;
    }
}
