package io.pbft.core;

import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.ClientTable.Status;
import io.pbft.core.message.Reply;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ClientTableTest {

    private static void executed(ClientTable table, long client, long timestamp, long sequence) {
        assertThat(table.markOrdered(request(client, timestamp), sequence)).isTrue();
        table.recordReply(new Reply(0, client, timestamp, 1, ByteString.copyFromUtf8("r" + client)));
    }

    @Test
    void theClientsOrderedLeastRecentlyAreForgottenAtTheBound() {
        ClientTable table = new ClientTable();
        executed(table, 30, 100, 1);
        executed(table, 10, 200, 2);
        executed(table, 20, 300, 3);
        executed(table, 30, 400, 4); // client 30 is active again

        table.evictDownTo(2);

        assertThat(table.size()).isEqualTo(2);
        assertThat(table.cachedReply(request(10, 200), 0, 1)).as("the least recently ordered").isNull();
        assertThat(table.cachedReply(request(20, 300), 0, 1)).isNotNull();
        assertThat(table.cachedReply(request(30, 400), 0, 1)).isNotNull();
    }

    /** Clients 10 (timestamp 200) and 20 (timestamp 300) executed, then 10 was forgotten. */
    private static ClientTable tenForgotten() {
        ClientTable table = new ClientTable();
        executed(table, 10, 200, 1);
        executed(table, 20, 300, 2);
        table.evictDownTo(1);
        return table;
    }

    @Test
    void aForgottenClientsOldRequestsStayExecutedOnce() {
        ClientTable table = tenForgotten();

        assertThat(table.markOrdered(request(10, 200), 3)).as("a replay of what executed").isFalse();
        assertThat(table.markOrdered(request(10, 150), 3)).isFalse();
        assertThat(table.markOrdered(request(10, 201), 3)).as("a newer request runs").isTrue();
        assertThat(table.markOrdered(request(99, 100), 3)).as("a client behind the floor is stale").isFalse();
    }

    @Test
    void underTheBoundNothingIsForgotten() {
        ClientTable table = new ClientTable();
        executed(table, 10, 200, 1);
        ByteString before = table.encode();

        table.evictDownTo(5);

        assertThat(table.encode()).isEqualTo(before);
    }

    @Test
    void theFloorAndTheSessionsTravelWithTheTable() {
        ClientTable table = tenForgotten();

        ClientTable installed = new ClientTable();
        installed.replaceWith(table.encode());

        assertThat(installed.encode()).isEqualTo(table.encode());
        assertThat(installed.markOrdered(request(10, 200), 3)).isFalse();
        assertThat(installed.cachedReply(request(20, 300), 4, 2))
                .isEqualTo(new Reply(4, 20, 300, 2, ByteString.copyFromUtf8("r20")));
    }

    private static final int W = ReplicaConfig.CLIENT_WINDOW;

    @Test
    void aRequestInTheWindowRunsOnceAndItsReplyIsKept() {
        ClientTable table = new ClientTable();
        assertThat(table.markOrdered(request(7, 1_000), 1)).isTrue();

        assertThat(table.status(request(7, 1_000))).isEqualTo(Status.IN_PROGRESS);
        assertThat(table.markOrdered(request(7, 1_000), 2)).as("ordered again in a later batch").isFalse();
        table.recordReply(new Reply(0, 7, 1_000, 1, ByteString.copyFromUtf8("r")));
        assertThat(table.status(request(7, 1_000))).isEqualTo(Status.EXECUTED);
        assertThat(table.markOrdered(request(7, 1_000), 3)).isFalse();
        assertThat(table.cachedReply(request(7, 1_000), 2, 3))
                .isEqualTo(new Reply(2, 7, 1_000, 3, ByteString.copyFromUtf8("r")));
    }

    @Test
    void requestsOfOneClientRunInWhateverOrderTheyAreOrderedInsideTheWindow() {
        ClientTable table = new ClientTable();
        executed(table, 7, 1_010, 1);
        executed(table, 7, 1_003, 2);
        executed(table, 7, 1_007, 2);

        assertThat(table.cachedReply(request(7, 1_010), 0, 1)).isNotNull();
        assertThat(table.cachedReply(request(7, 1_003), 0, 1)).isNotNull();
        assertThat(table.cachedReply(request(7, 1_007), 0, 1)).isNotNull();
        assertThat(table.status(request(7, 1_005))).as("a gap still to run").isEqualTo(Status.NEW);
    }

    @Test
    void aRequestAtOrBelowTheWindowIsTooOldAndNeverRuns() {
        ClientTable table = new ClientTable();
        executed(table, 7, 1_000, 1);

        assertThat(table.status(request(7, 1_000 - W))).isEqualTo(Status.TOO_OLD);
        assertThat(table.markOrdered(request(7, 1_000 - W), 2)).isFalse();
        assertThat(table.status(request(7, 1_000 - W + 1))).isEqualTo(Status.NEW);
    }

    @Test
    void theWindowMovesWithTheNewestAndKeepsAtMostWResults() {
        ClientTable table = new ClientTable();
        for (long timestamp = 1; timestamp <= 10 * W; timestamp++) {
            executed(table, 7, timestamp, timestamp);
        }

        assertThat(table.cachedReply(request(7, 9 * W), 0, 1)).as("left the window").isNull();
        assertThat(table.status(request(7, 9 * W))).isEqualTo(Status.TOO_OLD);
        assertThat(table.cachedReply(request(7, 9 * W + 1), 0, 1)).isNotNull();
        int slotBytes = 8 + 4 + "r7".length();
        assertThat(table.encode().size()).isEqualTo(8 + 8 + 8 + 8 + 8 + 4 + W * slotBytes);
    }

    @Test
    void aForgottenClientThatReturnsKeepsTheFloorUnderItsWindow() {
        ClientTable table = tenForgotten(); // floor 200
        executed(table, 10, 230, 3);

        assertThat(230 - W).as("the window alone would reach below the floor").isLessThan(200);
        assertThat(table.status(request(10, 200))).isEqualTo(Status.TOO_OLD);
        assertThat(table.status(request(10, 201))).isEqualTo(Status.NEW);
    }

    @Test
    void theWindowSurvivesACheckpointAndItsRestore() {
        ClientTable table = tenForgotten();
        executed(table, 7, 1_010, 3);
        executed(table, 7, 1_003, 4);
        executed(table, 10, 230, 4);

        ClientTable restored = new ClientTable();
        restored.replaceWith(table.encode());

        assertThat(restored.encode()).isEqualTo(table.encode());
        for (long timestamp : new long[] {1_010 - W, 1_003, 1_005, 1_010, 1_011}) {
            assertThat(restored.status(request(7, timestamp))).as("timestamp %d", timestamp)
                    .isEqualTo(table.status(request(7, timestamp)));
        }
        assertThat(restored.status(request(10, 200))).isEqualTo(Status.TOO_OLD);
        assertThat(restored.cachedReply(request(7, 1_003), 0, 1)).isEqualTo(table.cachedReply(request(7, 1_003), 0, 1));
    }

    @Test
    void aTableWhoseWindowSlotLiesOutsideItsWindowIsRefused() {
        ByteBuffer bytes = ByteBuffer.allocate(8 + 8 + 8 + 8 + 8 + 4 + 8 + 4)
                .putLong(0).putLong(7).putLong(1_000).putLong(1).putLong(0).putInt(1)
                .putLong(1_000 - W).putInt(0);
        ClientTable table = new ClientTable();

        assertThatThrownBy(() -> table.replaceWith(ByteString.copyFrom(bytes.flip())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside its window");
        assertThat(table.size()).isZero();
    }

    @Test
    void aTableIsNotEncodedWhileARequestIsOrderedButNotExecuted() {
        ClientTable table = new ClientTable();
        table.markOrdered(request(7, 1), 1);

        assertThatThrownBy(table::encode).isInstanceOf(IllegalStateException.class);
    }
}
