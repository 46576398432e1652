package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.driver.DropReason;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.testing.Await;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10, item 1: a client whose MAC entries are valid for some replicas and not others cannot
 * stop the cluster, and one whose signature is bad gets nothing proposed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileClientTest {

    private static final int PRIMARY = 0;
    private static final int ROUNDS = 10;
    private static final int FLOOD_PER_ROUND = 200;

    /** One cluster for both tests: each checks only what its own clients did. */
    private final LocalCluster cluster;

    HostileClientTest() throws IOException {
        cluster = LocalCluster.start(4, ReplicaConfig.defaults(4, 0).withWindow(16, 4),
                ReplicaPortDefenceTest.MAX_FRAME_BYTES);
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Test
    void macsValidOnlyForThePrimaryAndOneBackupCostNoViewChangeAndHoldNobodyUp() throws IOException {
        long[] unverifiedBefore = unverifiedPrePrepares();
        try (RawClient hostile = RawClient.connect(cluster.config); RawClient honest = RawClient.connect(cluster.config)) {
            for (int round = 1; round <= ROUNDS; round++) {
                // Signed properly (a signature is valid for every replica or none), but the MACs for
                // backups 2 and 3 are forged: before signatures, those two could not authenticate the
                // pre-prepare and waited for each other's prepare, and everything behind it stalled.
                Request forged = forgeMacs(hostile.request(round, KvOps.put("hostile-" + round, "x")), 2, 3);
                hostile.send(PRIMARY, forged);
                byte[] operation = KvOps.put("honest-" + round, "v" + round);
                honest.send(PRIMARY, honest.request(round, operation));

                assertAllReplicasAnswer(honest, round, new KeyValueStateMachine().execute(operation));
                assertAllReplicasAnswer(hostile, round, null);
            }
        }
        for (int replica = 0; replica < cluster.size(); replica++) {
            ReplicaNode node = cluster.node(replica);
            assertThat(node.metrics().view()).as("view at replica %d", replica).isZero();
            // Backups 2 and 3 authenticated every request themselves, by its signature: none waited to be vouched for.
            assertThat(node.metrics().unverifiedPrePrepares()).as("unverified at %d", replica)
                    .isEqualTo(unverifiedBefore[replica]);
        }
    }

    @Test
    void aRequestWithAGoodMacForThePrimaryButABadSignatureIsDroppedAndNeverProposed() throws IOException {
        ReplicaNode primary = cluster.node(PRIMARY);
        try (RawClient client = RawClient.connect(cluster.config)) {
            long executedBefore = primary.metrics().lastExecuted();
            long droppedBefore = primary.metrics().dropped(DropReason.BAD_REQUEST_SIGNATURE);
            Request good = client.request(1, KvOps.put("forged", "x"));
            byte[] signature = good.signature().toByteArray();
            signature[5] ^= 1;
            // Every MAC entry is valid: only the signature is wrong.
            client.send(PRIMARY, good.withSignature(good.clientKey(), ByteString.copyFrom(signature)));
            Await.until(() -> primary.metrics().dropped(DropReason.BAD_REQUEST_SIGNATURE) == droppedBefore + 1,
                    "bad signature counted once");

            byte[] operation = KvOps.get("forged");
            client.send(PRIMARY, client.request(2, operation));

            // The get finds no value: the forged put never executed; and it is the only batch since.
            assertAllReplicasAnswer(client, 2, new KeyValueStateMachine().execute(operation));
            Await.until(() -> primary.metrics().lastExecuted() > executedBefore, "the get's batch executed");
            assertThat(primary.metrics().lastExecuted()).isEqualTo(executedBefore + 1);
        }
    }

    /**
     * Issue 10, items 2 and 3: a client that floods the primary with requests (each validly signed,
     * timestamps rising) holds one place in the core's queue, its newest request; an honest client's
     * requests keep their places and complete, and nothing is refused for a full queue.
     */
    @Test
    void aFloodingClientHoldsOnePlaceInTheQueueAndHoldsNobodyUp() throws IOException {
        ReplicaNode primary = cluster.node(PRIMARY);
        long supersededBefore = primary.metrics().dropped(DropReason.SUPERSEDED_REQUEST);
        long overloadedBefore = primary.metrics().dropped(DropReason.OVERLOADED);
        try (RawClient flood = RawClient.connect(cluster.config); RawClient honest = RawClient.connect(cluster.config)) {
            long timestamp = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                for (int i = 0; i < FLOOD_PER_ROUND; i++) {
                    timestamp++;
                    flood.send(PRIMARY, flood.request(timestamp, KvOps.put("flood", Long.toString(timestamp))));
                    flood.send(PRIMARY, flood.request(timestamp, KvOps.put("flood", Long.toString(timestamp))));
                }
                byte[] operation = KvOps.put("patient-" + round, "v" + round);
                honest.send(PRIMARY, honest.request(round, operation));

                assertAllReplicasAnswer(honest, round, new KeyValueStateMachine().execute(operation));
            }
        }
        // Every flooded request came twice, and the next came at once: copies and older requests that
        // met a newer one of the flood still waiting were dropped unchecked (how many depends on how
        // often the core drained meanwhile).
        assertThat(primary.metrics().dropped(DropReason.SUPERSEDED_REQUEST) - supersededBefore).isPositive();
        assertThat(primary.metrics().dropped(DropReason.OVERLOADED)).isEqualTo(overloadedBefore);
    }

    /** {@code request} with its MAC entries for {@code replicas} altered (still well-formed). */
    private static Request forgeMacs(Request request, int... replicas) {
        List<ByteString> authenticator = new ArrayList<>(request.authenticator());
        for (int replica : replicas) {
            byte[] mac = authenticator.get(replica).toByteArray();
            mac[0] ^= 1;
            authenticator.set(replica, ByteString.copyFrom(mac));
        }
        return request.withAuthenticator(authenticator);
    }

    /** Every replica replies to {@code timestamp}, with {@code expected} unless it is null. */
    private void assertAllReplicasAnswer(RawClient client, long timestamp, byte[] expected) throws IOException {
        for (int replica = 0; replica < cluster.size(); replica++) {
            Reply reply = client.reply(replica);
            assertThat(reply.timestamp()).as("reply of replica %d", replica).isEqualTo(timestamp);
            if (expected != null) {
                assertThat(reply.result().toByteArray()).isEqualTo(expected);
            }
        }
    }

    private long[] unverifiedPrePrepares() {
        long[] counts = new long[cluster.size()];
        for (int replica = 0; replica < counts.length; replica++) {
            counts[replica] = cluster.node(replica).metrics().unverifiedPrePrepares();
        }
        return counts;
    }
}
