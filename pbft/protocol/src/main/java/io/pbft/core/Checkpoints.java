package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Checkpoints every K sequence numbers. A checkpoint becomes <em>stable</em> when 2f + 1 replicas
 * signed the same state digest for it, whether or not this replica has reached it yet; their
 * signed checkpoints are its proof, which a view change carries and a lagging replica is sent.
 * The low watermark then moves up to it and the log below is discarded.
 *
 * <p>A replica whose own digest differs from a stable one has a wrong state: it reports that once
 * and stops voting for checkpoints, since every later digest of its state is wrong too (state
 * transfer, a later issue, will repair it).
 */
final class Checkpoints {

    private final ReplicaState state;
    /** Signed votes by sequence number, then by replica. Bounded: only sequence numbers in (h, h + L]. */
    private final NavigableMap<Long, NavigableMap<Integer, Signed<Checkpoint>>> votes = new TreeMap<>();
    /**
     * Each sender's highest checkpoint beyond the window: a replica more than a window behind learns
     * its peers' stable checkpoint from the proof they relay to it (one vote per sender, so bounded).
     */
    private final NavigableMap<Integer, Signed<Checkpoint>> beyondWindow = new TreeMap<>();
    private StableCheckpoint stable = StableCheckpoint.INITIAL;
    private boolean diverged;

    Checkpoints(ReplicaState state) {
        this.state = state;
    }

    boolean isCheckpoint(long sequence) {
        return sequence % state.config.checkpointInterval() == 0;
    }

    /**
     * Called after this replica executed a checkpoint sequence number: signs and broadcasts its
     * digest. Returns whether the checkpoint became stable.
     */
    boolean onOwnCheckpoint(long sequence, ByteString stateDigest, EffectsBuilder effects) {
        if (sequence <= state.lowWatermark) {
            // Certified by others before this replica got here: its state must match the proof.
            if (sequence == stable.sequence()) {
                checkNotDiverged(sequence, stateDigest, stable.stateDigest(), effects);
            }
            return false;
        }
        if (diverged) {
            return false;
        }
        Signed<Checkpoint> own = state.signer.sign(new Checkpoint(sequence, stateDigest, state.self()));
        votes.computeIfAbsent(sequence, s -> new TreeMap<>()).put(state.self(), own);
        effects.broadcast(own);
        return checkStable(sequence, effects);
    }

    /** Returns whether the checkpoint made a new checkpoint stable. */
    boolean onCheckpoint(int from, Signed<Checkpoint> signed, EffectsBuilder effects) {
        Checkpoint checkpoint = signed.message();
        long sequence = checkpoint.sequence();
        if (sequence <= state.lowWatermark) {
            return false; // already stable here: nothing to learn from it
        }
        if (!isCheckpoint(sequence)) {
            state.reject(Rejection.MALFORMED_CHECKPOINT);
            return false;
        }
        if (!state.inWindow(sequence)) {
            return onCheckpointBeyondWindow(from, signed, effects);
        }
        Map<Integer, Signed<Checkpoint>> bySender = votes.computeIfAbsent(sequence, s -> new TreeMap<>());
        Signed<Checkpoint> earlier = bySender.putIfAbsent(from, signed);
        if (earlier != null) {
            if (earlier.message().stateDigest().equals(checkpoint.stateDigest())) {
                state.reject(Rejection.DUPLICATE_MESSAGE);
            } else {
                state.reject(Rejection.CONFLICTING_MESSAGE);
                effects.event(new ProtocolEvent.Equivocation(from, earlier, signed));
            }
            return false;
        }
        return checkStable(sequence, effects);
    }

    private boolean onCheckpointBeyondWindow(int from, Signed<Checkpoint> signed, EffectsBuilder effects) {
        Signed<Checkpoint> earlier = beyondWindow.get(from);
        if (earlier != null && earlier.message().sequence() >= signed.message().sequence()) {
            state.reject(earlier.equals(signed) ? Rejection.DUPLICATE_MESSAGE : Rejection.OUTSIDE_WINDOW);
            return false;
        }
        beyondWindow.put(from, signed);
        NavigableMap<Integer, Signed<Checkpoint>> same = new TreeMap<>();
        beyondWindow.forEach((sender, vote) -> {
            if (vote.message().equals(new Checkpoint(signed.message().sequence(), signed.message().stateDigest(),
                    sender))) {
                same.put(sender, vote);
            }
        });
        return stableIfQuorum(signed.message().sequence(), same, effects);
    }

    private boolean checkStable(long sequence, EffectsBuilder effects) {
        return stableIfQuorum(sequence, votes.get(sequence), effects);
    }

    /** Makes the checkpoint stable if 2f + 1 of {@code bySender} sign one digest for it. */
    private boolean stableIfQuorum(long sequence, NavigableMap<Integer, Signed<Checkpoint>> bySender,
            EffectsBuilder effects) {
        for (Signed<Checkpoint> candidate : bySender.values()) {
            ByteString digest = candidate.message().stateDigest();
            List<Signed<Checkpoint>> proof = new ArrayList<>(state.config.quorum());
            for (Signed<Checkpoint> vote : bySender.values()) {
                if (proof.size() < state.config.quorum() && vote.message().stateDigest().equals(digest)) {
                    proof.add(vote);
                }
            }
            if (proof.size() == state.config.quorum()) {
                Signed<Checkpoint> mine = votes.getOrDefault(sequence, new TreeMap<>()).get(state.self());
                ByteString own = mine == null ? null : mine.message().stateDigest();
                makeStable(new StableCheckpoint(sequence, digest, proof), own, effects);
                return true;
            }
        }
        return false;
    }

    /**
     * A stable checkpoint whose proof the caller checked (from a new view, say). Returns whether it
     * moved the low watermark.
     */
    boolean adopt(StableCheckpoint checkpoint, EffectsBuilder effects) {
        if (checkpoint.sequence() <= state.lowWatermark) {
            return false;
        }
        Map<Integer, Signed<Checkpoint>> bySender = votes.get(checkpoint.sequence());
        Signed<Checkpoint> mine = bySender == null ? null : bySender.get(state.self());
        makeStable(checkpoint, mine == null ? null : mine.message().stateDigest(), effects);
        return true;
    }

    private void makeStable(StableCheckpoint checkpoint, ByteString ownDigest, EffectsBuilder effects) {
        stable = checkpoint;
        state.lowWatermark = checkpoint.sequence();
        votes.headMap(checkpoint.sequence(), true).clear();
        beyondWindow.values().removeIf(vote -> vote.message().sequence() <= checkpoint.sequence());
        if (ownDigest != null) {
            checkNotDiverged(checkpoint.sequence(), ownDigest, checkpoint.stateDigest(), effects);
        }
    }

    private void checkNotDiverged(long sequence, ByteString own, ByteString certified, EffectsBuilder effects) {
        if (!own.equals(certified) && !diverged) {
            diverged = true;
            state.reject(Rejection.CHECKPOINT_DIVERGED);
            effects.event(new ProtocolEvent.CheckpointDiverged(sequence));
        }
    }

    /** The last stable checkpoint with its proof ({@link StableCheckpoint#INITIAL} before the first). */
    StableCheckpoint stableCheckpoint() {
        return stable;
    }

    /** Whether this replica's own state was found to differ from a stable checkpoint, and is not repaired yet. */
    boolean diverged() {
        return diverged;
    }

    /** The state of the stable checkpoint was installed over the divergent one: this replica votes again. */
    void repaired() {
        diverged = false;
    }
}
