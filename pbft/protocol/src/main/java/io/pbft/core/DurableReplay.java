package io.pbft.core;

import io.pbft.core.message.StableCheckpoint;
import java.util.List;

/**
 * Recovery's replay of a replica's {@link DurableRecord}s into a fresh core: what it promised
 * before a crash, restored so that it cannot contradict itself after it. Used once, by {@link
 * Replica#recover}, before the snapshot's state is installed.
 */
final class DurableReplay {

    private final ReplicaState state;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final ViewChanges viewChanges;

    DurableReplay(ReplicaState state, NormalCase normalCase, Checkpoints checkpoints, ViewChanges viewChanges) {
        this.state = state;
        this.normalCase = normalCase;
        this.checkpoints = checkpoints;
        this.viewChanges = viewChanges;
    }

    /**
     * The highest stable checkpoint first; then the batches executed after the snapshot of {@code
     * snapshotSequence}, to execute again, and the prepared certificates its commits stood on, of
     * any view (a later view change must carry them: a new view carries over a pre-prepare, not a
     * certificate, and one for a batch executed already may never form again); then the view as
     * the last view record left it (the core writes that record again at every stable checkpoint,
     * so a log truncated below still holds it); then what this replica promised in that view. Other
     * promises of earlier views need no replay: it never sends for a view it left.
     */
    void replay(List<DurableRecord> records, long snapshotSequence, EffectsBuilder effects) {
        StableCheckpoint highestStable = null;
        DurableRecord lastView = null;
        for (DurableRecord record : records) {
            if (record instanceof DurableRecord.Stable stable
                    && (highestStable == null || stable.sequence() > highestStable.sequence())) {
                highestStable = stable.checkpoint();
            } else if (record instanceof DurableRecord.ViewChangeSent || record instanceof DurableRecord.NewViewEntered) {
                lastView = record;
            }
        }
        if (highestStable != null && checkpoints.adopt(highestStable, effects)) {
            normalCase.discardUpTo(state.lowWatermark);
        }
        for (DurableRecord record : records) {
            if (record instanceof DurableRecord.Committed committed && committed.sequence() > snapshotSequence) {
                normalCase.restoreCommitted(committed);
            } else if (record instanceof DurableRecord.Prepared prepared) {
                // Of any view: a batch that committed in a view this replica has left since may have
                // executed everywhere, and only these certificates carry it into the next new view.
                normalCase.restoreCertificates(List.of(prepared.certificate()));
            }
        }
        if (lastView instanceof DurableRecord.ViewChangeSent sent) {
            normalCase.restoreCertificates(sent.viewChange().message().prepared());
            viewChanges.restoreViewChange(sent.viewChange());
            return; // waiting for a new view, it has nothing of a view to replay
        }
        if (lastView instanceof DurableRecord.NewViewEntered entered) {
            viewChanges.restoreNewView(entered.newView(), effects);
        }
        for (DurableRecord record : records) {
            if (record instanceof DurableRecord.PrePrepared prePrepared
                    && prePrepared.prePrepare().message().view() == state.view) {
                normalCase.restorePrePrepare(prePrepared, effects);
            } else if (record instanceof DurableRecord.Prepared prepared && prepared.certificate().view() == state.view) {
                normalCase.restorePrepared(prepared.certificate(), effects);
            }
        }
    }

    /** The highest sequence number of a pre-prepare, prepared certificate or committed batch among {@code records}. */
    static long highestSequenceVotedOn(List<DurableRecord> records) {
        long highest = 0;
        for (DurableRecord record : records) {
            if (record instanceof DurableRecord.PrePrepared prePrepared) {
                highest = Math.max(highest, prePrepared.prePrepare().message().sequence());
            } else if (record instanceof DurableRecord.Prepared prepared) {
                highest = Math.max(highest, prepared.certificate().sequence());
            } else if (record instanceof DurableRecord.Committed committed) {
                highest = Math.max(highest, committed.sequence());
            }
        }
        return highest;
    }
}
