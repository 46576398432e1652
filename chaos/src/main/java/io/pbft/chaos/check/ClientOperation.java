package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One request as its client saw it: what it asked, when it asked ({@code callMillis}, the first
 * send), and, once f + 1 replicas agreed, when it accepted which result. An operation still
 * outstanding at the end of the run has {@code returnMillis == NOT_RETURNED} and an empty result.
 *
 * @param description the operation in words, for messages ({@code put k1=c101-t3})
 * @param operation the operation bytes sent to the replicas
 * @param retransmissions how many times the client re-sent it to all replicas
 * @param readOnly whether the result was accepted from 2f + 1 matching read-only replies, so that
 *     the operation was never ordered: {@code id} names the read-only request, which no replica
 *     executes in order (a read-only request that fell back to ordering is not read-only here:
 *     {@code id} names the ordered request)
 */
public record ClientOperation(
        RequestId id,
        String description,
        ByteString operation,
        long callMillis,
        long returnMillis,
        ByteString result,
        int retransmissions,
        boolean readOnly) {

    public static final long NOT_RETURNED = -1;

    public ClientOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(result, "result");
    }

    /** An operation that was ordered (not answered read-only). */
    public ClientOperation(RequestId id, String description, ByteString operation, long callMillis, long returnMillis,
            ByteString result, int retransmissions) {
        this(id, description, operation, callMillis, returnMillis, result, retransmissions, false);
    }

    public boolean completed() {
        return returnMillis != NOT_RETURNED;
    }

    @Override
    public String toString() {
        return id + " " + description + (readOnly ? " (read-only)" : "") + " called at " + callMillis + " ms"
                + (completed() ? ", returned at " + returnMillis + " ms" : ", not returned")
                + (retransmissions > 0 ? ", retransmitted " + retransmissions + "x" : "");
    }
}
