package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private static Request request(long client, long timestamp) {
        return Request.of(client, timestamp, ByteString.copyFromUtf8("op " + timestamp));
    }

    @Test
    void aFloodingClientHoldsOnePlaceAndItsNewestRequestTakesIt() {
        PendingRequests pending = new PendingRequests();
        assertThat(pending.offer(request(7, 1))).isEqualTo(PendingRequests.Offer.ADDED);
        assertThat(pending.offer(request(8, 1))).isEqualTo(PendingRequests.Offer.ADDED);
        for (long timestamp = 2; timestamp <= 10_000; timestamp++) {
            assertThat(pending.offer(request(7, timestamp))).isEqualTo(PendingRequests.Offer.REPLACED);
        }

        assertThat(pending.drain()).extracting(Request::clientId, Request::timestamp)
                .containsExactly(Tuple.tuple(7L, 10_000L), Tuple.tuple(8L, 1L));
        assertThat(pending.drain()).isEmpty();
    }

    @Test
    void aCopyOrAnOlderRequestIsSupersededAndCheaplyRecognised() {
        PendingRequests pending = new PendingRequests();
        pending.offer(request(7, 5));

        assertThat(pending.holdsAtLeast(7, 5)).isTrue();
        assertThat(pending.holdsAtLeast(7, 6)).isFalse();
        assertThat(pending.holdsAtLeast(8, 1)).isFalse();
        assertThat(pending.offer(request(7, 5))).isEqualTo(PendingRequests.Offer.SUPERSEDED);
        assertThat(pending.offer(request(7, 4))).isEqualTo(PendingRequests.Offer.SUPERSEDED);
        assertThat(pending.drain()).extracting(Request::timestamp).containsExactly(5L);
    }

    @Test
    void clientsAreDrainedInTheOrderTheyArrived() {
        PendingRequests pending = new PendingRequests();
        pending.offer(request(3, 1));
        pending.offer(request(1, 1));
        pending.offer(request(2, 1));
        pending.offer(request(3, 2)); // replacing keeps client 3's place

        assertThat(pending.drain()).extracting(Request::clientId).containsExactly(3L, 1L, 2L);
    }

    @Test
    void aWithdrawnRequestLeavesNoPlaceBehind() {
        PendingRequests pending = new PendingRequests();
        Request withdrawn = request(7, 1);
        pending.offer(withdrawn);
        pending.withdraw(withdrawn);

        assertThat(pending.holdsAtLeast(7, 1)).isFalse();
        assertThat(pending.drain()).isEmpty();
    }
}
