package io.pbft.chaos.check;

import io.pbft.core.message.Request;
import java.util.Comparator;

/** A client request's identity, {@code (c, t)} in the paper: unique per request, shared by its retransmissions. */
public record RequestId(long clientId, long timestamp) implements Comparable<RequestId> {

    private static final Comparator<RequestId> ORDER =
            Comparator.comparingLong(RequestId::clientId).thenComparingLong(RequestId::timestamp);

    public static RequestId of(Request request) {
        return new RequestId(request.clientId(), request.timestamp());
    }

    @Override
    public int compareTo(RequestId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return "(c" + clientId + ", t" + timestamp + ")";
    }
}
