package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Checkpoints every K sequence numbers. A checkpoint becomes <em>stable</em> when this replica
 * has taken it and 2f + 1 replicas (itself included) reported the same state digest; the low
 * watermark then moves up to it and the log below is discarded.
 */
final class Checkpoints {

    private final ReplicaState state;
    /** Votes by sequence number, then by replica. Bounded: only sequence numbers in (h, h + L]. */
    private final NavigableMap<Long, Map<Integer, ByteString>> votes = new TreeMap<>();
    /** This replica's own checkpoint messages not yet below the low watermark, by sequence number. */
    private final NavigableMap<Long, Checkpoint> own = new TreeMap<>();
    private Checkpoint stable;

    Checkpoints(ReplicaState state) {
        this.state = state;
    }

    boolean isCheckpoint(long sequence) {
        return sequence % state.config.checkpointInterval() == 0;
    }

    /** Called after this replica executed a checkpoint sequence number; returns whether it became stable. */
    boolean onOwnCheckpoint(long sequence, ByteString stateDigest, EffectsBuilder effects) {
        Checkpoint checkpoint = new Checkpoint(sequence, stateDigest, state.self());
        own.put(sequence, checkpoint);
        votes.computeIfAbsent(sequence, s -> new TreeMap<>()).put(state.self(), stateDigest);
        effects.broadcast(checkpoint);
        return checkStable(sequence);
    }

    /** Returns whether the checkpoint made a new checkpoint stable. */
    boolean onCheckpoint(int from, Checkpoint checkpoint) {
        long sequence = checkpoint.sequence();
        if (sequence <= state.lowWatermark) {
            return false; // already stable here: nothing to learn from it
        }
        if (!isCheckpoint(sequence)) {
            state.reject(Rejection.MALFORMED_CHECKPOINT);
            return false;
        }
        if (!state.inWindow(sequence)) {
            state.reject(Rejection.OUTSIDE_WINDOW);
            return false;
        }
        Map<Integer, ByteString> bySender = votes.computeIfAbsent(sequence, s -> new TreeMap<>());
        ByteString earlier = bySender.putIfAbsent(from, checkpoint.stateDigest());
        if (earlier != null) {
            state.reject(earlier.equals(checkpoint.stateDigest())
                    ? Rejection.DUPLICATE_MESSAGE
                    : Rejection.CONFLICTING_MESSAGE);
            return false;
        }
        return checkStable(sequence);
    }

    private boolean checkStable(long sequence) {
        Checkpoint mine = own.get(sequence);
        if (mine == null || sequence <= state.lowWatermark) {
            return false;
        }
        Map<Integer, ByteString> bySender = votes.get(sequence);
        int agreeing = Slot.matching(bySender, mine.stateDigest());
        if (agreeing < state.config.quorum()) {
            if (bySender.size() - agreeing >= state.config.quorum()) {
                // A quorum agrees on a state this replica does not have: its own state is wrong.
                state.reject(Rejection.CHECKPOINT_DIVERGED);
            }
            return false;
        }
        stable = mine;
        state.lowWatermark = sequence;
        votes.headMap(sequence, true).clear();
        own.headMap(sequence, false).clear();
        return true;
    }

    /** This replica's checkpoint message for the last stable checkpoint, or null before the first. */
    Checkpoint stableCheckpoint() {
        return stable;
    }
}
