package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import java.util.List;

/**
 * A committed batch the driver must execute, in the order the executions are emitted, and then
 * report with {@link Replica#onExecuted}. {@code requests} holds only the requests to run: those a
 * client already had executed are filtered out, which is what makes execution exactly-once.
 *
 * @param checkpoint whether the driver must report the state digest after this batch
 * @param timestampMillis the batch's agreed time, which the primary proposed and the backups
 *     checked (0 for a batch ordered without one)
 */
public record Execution(long sequence, ByteString batchDigest, List<Request> requests, boolean checkpoint,
        long timestampMillis) {

    public Execution {
        requests = List.copyOf(requests);
    }

    /** A batch without a time (timestamp 0). */
    public Execution(long sequence, ByteString batchDigest, List<Request> requests, boolean checkpoint) {
        this(sequence, batchDigest, requests, checkpoint, 0);
    }
}
