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
 */
public record ClientOperation(
        RequestId id,
        String description,
        ByteString operation,
        long callMillis,
        long returnMillis,
        ByteString result,
        int retransmissions) {

    public static final long NOT_RETURNED = -1;

    public ClientOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(result, "result");
    }

    public boolean completed() {
        return returnMillis != NOT_RETURNED;
    }

    @Override
    public String toString() {
        return id + " " + description + " called at " + callMillis + " ms"
                + (completed() ? ", returned at " + returnMillis + " ms" : ", not returned")
                + (retransmissions > 0 ? ", retransmitted " + retransmissions + "x" : "");
    }
}
