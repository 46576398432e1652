package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private static Request request(long client, long timestamp) {
        return Request.of(client, timestamp, ByteString.copyFromUtf8("op " + timestamp));
    }

    @Test
    void aFloodingClientHoldsOnePlaceAndItsNewestRequestTakesIt() {
        PendingRequests pending = new PendingRequests();
        assertThat(pending.offer(request(7, 1), true)).isEqualTo(PendingRequests.Offer.ADDED);
        assertThat(pending.offer(request(8, 1), true)).isEqualTo(PendingRequests.Offer.ADDED);
        for (long timestamp = 2; timestamp <= 10_000; timestamp++) {
            assertThat(pending.offer(request(7, timestamp), true)).isEqualTo(PendingRequests.Offer.REPLACED);
        }

        assertThat(pending.drain(r -> true).requests()).extracting(Request::clientId, Request::timestamp)
                .containsExactly(Tuple.tuple(7L, 10_000L), Tuple.tuple(8L, 1L));
        assertThat(pending.drain(r -> true).requests()).isEmpty();
    }

    @Test
    void aCopyOrAnOlderRequestIsSupersededAndCheaplyRecognised() {
        PendingRequests pending = new PendingRequests();
        pending.offer(request(7, 5), true);

        assertThat(pending.holdsAtLeast(7, 5)).isTrue();
        assertThat(pending.holdsAtLeast(7, 6)).isFalse();
        assertThat(pending.holdsAtLeast(8, 1)).isFalse();
        assertThat(pending.offer(request(7, 5), true)).isEqualTo(PendingRequests.Offer.SUPERSEDED);
        assertThat(pending.offer(request(7, 4), true)).isEqualTo(PendingRequests.Offer.SUPERSEDED);
        assertThat(pending.drain(r -> true).requests()).extracting(Request::timestamp).containsExactly(5L);
    }

    @Test
    void clientsAreDrainedInTheOrderTheyArrived() {
        PendingRequests pending = new PendingRequests();
        pending.offer(request(3, 1), true);
        pending.offer(request(1, 1), true);
        pending.offer(request(2, 1), true);
        pending.offer(request(3, 2), true); // replacing keeps client 3's place

        assertThat(pending.drain(r -> true).requests()).extracting(Request::clientId).containsExactly(3L, 1L, 2L);
    }

    @Test
    void aWithdrawnRequestLeavesNoPlaceBehind() {
        PendingRequests pending = new PendingRequests();
        Request withdrawn = request(7, 1);
        pending.offer(withdrawn, true);
        pending.withdraw(withdrawn);

        assertThat(pending.holdsAtLeast(7, 1)).isFalse();
        assertThat(pending.drain(r -> true).requests()).isEmpty();
    }

    /**
     * Issue 10, item 3: a flooding client's requests that replace each other between two drains
     * cost one signature check, of the one drained, not one each on the I/O threads.
     */
    @Test
    void requestsThatReplaceUncheckedCostOneSignatureCheckPerDrain() {
        PendingRequests pending = new PendingRequests();
        pending.offer(request(7, 1), true);
        pending.offer(request(8, 1), true);
        for (long timestamp = 2; timestamp <= 1_000; timestamp++) {
            pending.offer(request(7, timestamp), false);
        }
        List<Request> checked = new ArrayList<>();

        PendingRequests.Drained drained = pending.drain(r -> checked.add(r));

        assertThat(checked).extracting(Request::clientId, Request::timestamp).containsExactly(Tuple.tuple(7L, 1_000L));
        assertThat(drained.requests()).extracting(Request::clientId, Request::timestamp)
                .containsExactly(Tuple.tuple(7L, 1_000L), Tuple.tuple(8L, 1L));
        assertThat(drained.badSignatures()).isZero();
    }

    @Test
    void anUncheckedRequestWhoseSignatureFailsOnDrainIsLeftOutAndCounted() {
        PendingRequests pending = new PendingRequests();
        pending.offer(request(7, 1), true);
        pending.offer(request(7, 2), false);
        pending.offer(request(8, 1), true);

        PendingRequests.Drained drained = pending.drain(r -> false);

        assertThat(drained.requests()).extracting(Request::clientId).containsExactly(8L);
        assertThat(drained.badSignatures()).isEqualTo(1);
        assertThat(pending.holdsAny(7)).isFalse();
    }

    @Test
    void holdsAnyTellsWhetherANewerRequestWouldReplaceOne() {
        PendingRequests pending = new PendingRequests();
        assertThat(pending.holdsAny(7)).isFalse();
        pending.offer(request(7, 1), true);
        assertThat(pending.holdsAny(7)).isTrue();
        pending.drain(r -> true);
        assertThat(pending.holdsAny(7)).isFalse();
    }
}
