package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Step 4: the client table's bytes, read by offset ({@link TableCursor}) up to {@link
 * StateTransferLimits#maxClientTableBytes()}, and kept only if they hash to the verified client
 * table digest. A mismatch blames every peer that contributed and starts over.
 */
final class TableJob implements FetchJob {

    private final FetchTarget target;
    private final TreeSet<Integer> contributors = new TreeSet<>();
    private ByteString received = ByteString.EMPTY;

    TableJob(FetchTarget target) {
        this.target = target;
    }

    @Override
    public FetchState.Part part() {
        return new FetchState.Partition(FetchState.CLIENT_TABLE, TableCursor.at(received.size()),
                target.limits.maxChunkBytes());
    }

    @Override
    public Result onAnswer(int from, StateChunk.Content content) {
        if (!(content instanceof StateChunk.Partition chunk) || chunk.index() != FetchState.CLIENT_TABLE) {
            return FetchJob.refused(TransferDrop.MISMATCHED_ANSWER, from);
        }
        long size = (long) received.size() + chunk.content().size();
        if (size > target.limits.maxClientTableBytes()) {
            startOver();
            return FetchJob.refused(TransferDrop.CLIENT_TABLE_TOO_LARGE, from);
        }
        boolean last = chunk.next().isEmpty();
        if (!last && (chunk.content().isEmpty() || TableCursor.offsetOf(chunk.next()) != size)) {
            return FetchJob.refused(TransferDrop.CLIENT_TABLE_MISMATCH, from);
        }
        received = received.concat(chunk.content());
        contributors.add(from);
        target.tally.clientTableBytesReceived += chunk.content().size();
        if (!last) {
            return FetchJob.accepted(List.of(this));
        }
        if (!target.digests.clientTableDigest(received).equals(target.clientTableDigest())) {
            List<Integer> blamed = new ArrayList<>(contributors);
            startOver();
            return new Refused(TransferDrop.CLIENT_TABLE_MISMATCH, blamed);
        }
        target.clientTableVerified(received);
        return FetchJob.accepted(List.of());
    }

    private void startOver() {
        received = ByteString.EMPTY;
        contributors.clear();
    }
}
