package io.pbft.driver.state;

import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;

/** Step 1: the service root and client table digest, checked against the certified checkpoint digest. */
final class MetaJob implements FetchJob {

    private final FetchTarget target;

    MetaJob(FetchTarget target) {
        this.target = target;
    }

    @Override
    public FetchState.Part part() {
        return new FetchState.Meta();
    }

    @Override
    public Result onAnswer(int from, StateChunk.Content content) {
        if (!(content instanceof StateChunk.Meta meta)) {
            return FetchJob.refused(TransferDrop.MISMATCHED_ANSWER, from);
        }
        if (!target.acceptMeta(meta)) {
            return FetchJob.refused(TransferDrop.WRONG_META, from);
        }
        return FetchJob.accepted(target.jobsAfterMeta());
    }
}
