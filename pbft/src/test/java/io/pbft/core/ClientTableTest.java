package io.pbft.core;

import static io.pbft.core.CoreFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
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
}
