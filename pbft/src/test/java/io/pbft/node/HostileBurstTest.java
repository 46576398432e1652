package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.SigningKey;
import io.pbft.driver.DropReason;
import io.pbft.driver.Ed25519ReplicaKeys;
import io.pbft.driver.HostileReplicaFrames;
import io.pbft.driver.ReplicaKeys;
import io.pbft.fuzz.Bursts;
import io.pbft.fuzz.FuzzRun;
import io.pbft.fuzz.Mutations;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.ClientHello;
import io.pbft.wire.proto.StatusQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A burst of hostile frames against a live four-replica cluster on 127.0.0.1: replica frames from
 * one faulty replica (it signs and MACs with its own key only, as f = 1 allows) to the primary and
 * a backup, and client frames from strangers and from a client that completed its handshake. The
 * cluster must go on serving: a request afterwards executes on every replica, and no replica's core
 * or frame listener failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBurstTest {

    private static final int BYZANTINE = 2;
    private static final int[] TARGETS = {0, 1};
    private static final int FRAMES_PER_BURST = 300;
    /** What a burst piece's control byte says (modulo 4): where it goes. */
    private static final int REPLICA_PORT = 0;
    private static final int CLIENT_PORT_STRANGER = 1;
    private static final int CLIENT_PORT_SESSION = 2;

    private LocalCluster cluster;
    private HostileReplicaFrames[] hostile;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = LocalCluster.start(4, ReplicaConfig.defaults(4, 0).withWindow(16, 4).withStatusInterval(50),
                ReplicaPortDefenceTest.MAX_FRAME_BYTES);
        byte[][] publicKeys = cluster.keys.stream().map(SigningKey::publicKey).toArray(byte[][]::new);
        ReplicaKeys[] keys = new ReplicaKeys[cluster.size()];
        for (int id = 0; id < keys.length; id++) {
            keys[id] = new Ed25519ReplicaKeys(id, cluster.keys.get(id), publicKeys);
        }
        hostile = new HostileReplicaFrames[cluster.size()];
        for (int target : TARGETS) {
            hostile[target] = new HostileReplicaFrames(keys, target, BYZANTINE);
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theClusterKeepsServingThroughABurstOfHostileFrames() {
        long droppedBefore = dropped();
        FuzzRun.run(getClass(), "theClusterKeepsServingThroughABurstOfHostileFrames", 1, this::burst, input -> {
            send(input);
            ClusterProbe.assertExecutes(cluster);
            for (int id = 0; id < cluster.size(); id++) {
                assertThat(cluster.node(id).metrics().coreFailures()).as("core failures of replica %d", id).isZero();
                assertThat(cluster.node(id).metrics().transport().listenerFailures())
                        .as("frame listener failures of replica %d", id).isZero();
            }
        });
        assertThat(dropped()).as("hostile frames dropped and counted").isGreaterThan(droppedBefore);
    }

    private long dropped() {
        long dropped = 0;
        for (int target : TARGETS) {
            for (DropReason reason : DropReason.values()) {
                dropped += cluster.node(target).metrics().dropped(reason);
            }
        }
        return dropped;
    }

    /** Pieces whose control byte names the port (bits 0-1) and the target (bit 2). */
    private byte[] burst(Random random) {
        List<Bursts.Piece> pieces = new ArrayList<>();
        for (int i = 0; i < FRAMES_PER_BURST; i++) {
            int target = random.nextInt(TARGETS.length);
            int port = random.nextInt(2) == 0 ? REPLICA_PORT : random.nextBoolean() ? CLIENT_PORT_STRANGER
                    : CLIENT_PORT_SESSION;
            byte[] frame = port == REPLICA_PORT ? hostile[TARGETS[target]].frame(random) : clientFrame(random, target);
            pieces.add(new Bursts.Piece(port | target << 2, frame));
        }
        return Bursts.join(pieces);
    }

    /** Junk, hellos of every wrong shape, requests of every wrong shape, status queries; some damaged. */
    private byte[] clientFrame(Random random, int target) {
        ClientFrame.Builder frame = ClientFrame.newBuilder();
        switch (random.nextInt(4)) {
            case 0 -> frame.setHello(ClientHello.newBuilder()
                    .setIdentityPublicKey(UnsafeByteOperations.unsafeWrap(Mutations.randomBytes(random,
                            random.nextInt(4) == 0 ? random.nextInt(80) : 32)))
                    .setEphemeralPublicKey(UnsafeByteOperations.unsafeWrap(random.nextBoolean() ? new byte[32]
                            : Mutations.randomBytes(random, 32)))
                    .setSignature(UnsafeByteOperations.unsafeWrap(Mutations.randomBytes(random, 64))));
            case 1 -> frame.setStatusQuery(StatusQuery.getDefaultInstance());
            case 2 -> frame.setRequest(hostile[TARGETS[target]].request(random));
            default -> { }
        }
        byte[] bytes = frame.build().toByteArray();
        return random.nextInt(3) == 0 ? Mutations.mutate(random, bytes) : bytes;
    }

    /** Sends each piece on its port, opening a fresh connection wherever a replica closed one. */
    private void send(byte[] input) throws IOException {
        RawConnection[][] strangers = new RawConnection[TARGETS.length][2];
        try (RawClient client = RawClient.connect(cluster.config)) {
            boolean[] sessionOpen = new boolean[TARGETS.length];
            Arrays.fill(sessionOpen, true);
            for (Bursts.Piece piece : Bursts.split(input)) {
                int target = (piece.control() >> 2) % TARGETS.length;
                int port = piece.control() & 3;
                if (port == CLIENT_PORT_SESSION && sessionOpen[target]) {
                    sessionOpen[target] = sent(client.connections[TARGETS[target]], piece.bytes());
                    continue;
                }
                int kind = port == REPLICA_PORT ? 0 : 1;
                if (strangers[target][kind] == null) {
                    strangers[target][kind] = open(TARGETS[target], kind);
                }
                if (!sent(strangers[target][kind], piece.bytes())) {
                    strangers[target][kind].close();
                    strangers[target][kind] = null;
                }
            }
        } finally {
            for (RawConnection[] connections : strangers) {
                for (RawConnection connection : connections) {
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        }
    }

    private RawConnection open(int replica, int kind) throws IOException {
        ReplicaNode node = cluster.node(replica);
        return new RawConnection(LocalCluster.HOST, kind == 0 ? node.replicaPort() : cluster.config.replica(replica)
                .clientPort());
    }

    /** Whether the frame went out; false once the replica closed the connection (as it may, on a bad frame). */
    private static boolean sent(RawConnection connection, byte[] frame) {
        try {
            connection.send(frame);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
