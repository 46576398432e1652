package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.PartitionInstall;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Step 3 for one partition whose digest the walk verified: its chunks, in order, appended to a
 * {@link PartitionInstall} of the local service, then committed against that digest. Nothing
 * reaches the service before the commit succeeds.
 *
 * <p>Chunks may come from several peers (after a timeout or a refused chunk, another peer goes on
 * from the same cursor). A commit that fails cannot tell the bad chunk, so every peer that
 * contributed is blamed and the partition starts over with a fresh install.
 */
final class PartitionJob implements FetchJob {

    private final FetchTarget target;
    private final int partition;
    private final byte[] verifiedDigest;
    private final TreeSet<Integer> contributors = new TreeSet<>();
    private PartitionInstall install;
    private ByteString cursor = ByteString.EMPTY;
    private long stagedBytes;

    PartitionJob(FetchTarget target, int partition, byte[] verifiedDigest) {
        this.target = target;
        this.partition = partition;
        this.verifiedDigest = verifiedDigest.clone();
    }

    @Override
    public FetchState.Part part() {
        return new FetchState.Partition(partition, cursor, target.limits.maxChunkBytes());
    }

    @Override
    public Result onAnswer(int from, StateChunk.Content content) {
        if (!(content instanceof StateChunk.Partition chunk) || chunk.index() != partition) {
            return FetchJob.refused(TransferDrop.MISMATCHED_ANSWER, from);
        }
        boolean last = chunk.next().isEmpty();
        if (!last && (chunk.content().isEmpty() || chunk.next().size() > target.limits.maxCursorBytes())) {
            return FetchJob.refused(TransferDrop.WRONG_CHUNK, from);
        }
        if (stagedBytes + chunk.content().size() > target.limits.maxPartitionBytes()) {
            startOver();
            return FetchJob.refused(TransferDrop.PARTITION_TOO_LARGE, from);
        }
        if (!append(chunk.content())) {
            return FetchJob.refused(TransferDrop.WRONG_CHUNK, from);
        }
        contributors.add(from);
        if (!last) {
            cursor = chunk.next();
            return FetchJob.accepted(List.of(this));
        }
        return commit();
    }

    private boolean append(ByteString content) {
        if (install == null) {
            install = target.service.installPartition(partition);
        }
        try {
            install.append(content.toByteArray());
        } catch (IllegalArgumentException rejected) {
            return false; // the install is as before: the same cursor may be asked of another peer
        }
        stagedBytes += content.size();
        target.tally.partitionBytesReceived += content.size();
        return true;
    }

    private Result commit() {
        try {
            install.commit(verifiedDigest);
        } catch (IllegalArgumentException mismatch) {
            List<Integer> blamed = new ArrayList<>(contributors);
            startOver();
            return new Refused(TransferDrop.PARTITION_MISMATCH, blamed);
        }
        install = null;
        target.tally.partitionsInstalled++;
        return FetchJob.accepted(List.of());
    }

    /** Abandons the install, which leaves no trace in the service, and asks from the start again. */
    private void startOver() {
        install = null;
        cursor = ByteString.EMPTY;
        stagedBytes = 0;
        contributors.clear();
    }
}
