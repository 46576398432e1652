package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private static final int WINDOW = 3;

    private static Request request(long client, long timestamp) {
        return Request.of(client, timestamp, ByteString.copyFromUtf8("op " + timestamp));
    }

    @Test
    void aFloodingClientHoldsOneWindowAndItsNewestRequestsTakeIt() {
        PendingRequests pending = new PendingRequests(WINDOW);
        for (long timestamp = 1; timestamp <= WINDOW; timestamp++) {
            assertThat(pending.offer(request(7, timestamp))).isEqualTo(PendingRequests.Offer.ADDED);
        }
        assertThat(pending.offer(request(8, 1))).isEqualTo(PendingRequests.Offer.ADDED);
        for (long timestamp = WINDOW + 1; timestamp <= 1_000; timestamp++) {
            assertThat(pending.offer(request(7, timestamp))).isEqualTo(PendingRequests.Offer.REPLACED);
        }

        assertThat(pending.drain()).extracting(Request::clientId, Request::timestamp)
                .containsExactly(Tuple.tuple(7L, 998L), Tuple.tuple(8L, 1L), Tuple.tuple(7L, 999L),
                        Tuple.tuple(7L, 1_000L));
        assertThat(pending.drain()).isEmpty();
    }

    @Test
    void aCopyOrOneOlderThanAFullWindowIsDroppedAndCanBeToldBeforeItsSignature() {
        PendingRequests pending = new PendingRequests(WINDOW);
        pending.offer(request(7, 5));
        pending.offer(request(7, 9));

        assertThat(pending.holdsOrSupersedes(7, 5)).isTrue();
        assertThat(pending.holdsOrSupersedes(7, 4)).as("the window has room for an older one").isFalse();
        assertThat(pending.holdsOrSupersedes(8, 1)).isFalse();
        assertThat(pending.offer(request(7, 5))).isEqualTo(PendingRequests.Offer.SUPERSEDED);
        assertThat(pending.offer(request(7, 7))).as("out of order inside the window").isEqualTo(PendingRequests.Offer.ADDED);
        assertThat(pending.holdsOrSupersedes(7, 4)).as("the window is full of newer ones").isTrue();
        assertThat(pending.offer(request(7, 4))).isEqualTo(PendingRequests.Offer.SUPERSEDED);
        assertThat(pending.drain()).extracting(Request::timestamp).containsExactly(5L, 7L, 9L);
    }

    @Test
    void clientsTakeTurnsInTheOrderTheyArrived() {
        PendingRequests pending = new PendingRequests(WINDOW);
        pending.offer(request(3, 1));
        pending.offer(request(1, 1));
        pending.offer(request(3, 2));
        pending.offer(request(2, 1));
        pending.offer(request(3, 3));

        assertThat(pending.drain()).extracting(Request::clientId, Request::timestamp)
                .containsExactly(Tuple.tuple(3L, 1L), Tuple.tuple(1L, 1L), Tuple.tuple(2L, 1L), Tuple.tuple(3L, 2L),
                        Tuple.tuple(3L, 3L));
    }

    @Test
    void aWithdrawnRequestLeavesNothingBehind() {
        PendingRequests pending = new PendingRequests(WINDOW);
        Request withdrawn = request(7, 1);
        pending.offer(withdrawn);
        pending.withdraw(withdrawn);

        assertThat(pending.holdsOrSupersedes(7, 1)).isFalse();
        assertThat(pending.drain()).isEmpty();
    }
}
