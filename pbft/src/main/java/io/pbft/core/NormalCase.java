package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.Request;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The three-phase normal case: the primary's pre-prepare, 2f matching prepares from backups make a
 * slot <em>prepared</em>, 2f + 1 matching commits make it <em>committed-local</em>. Keeps the
 * message log of the watermark window.
 */
final class NormalCase {

    private final ReplicaState state;
    private final NavigableMap<Long, Slot> log = new TreeMap<>();
    /** The highest sequence number this replica assigned as primary, or accepted as backup. */
    private long highestSequence;

    NormalCase(ReplicaState state) {
        this.state = state;
    }

    /** Primary: assigns the next sequence number to {@code batch} and pre-prepares it. */
    void propose(List<Request> batch, EffectsBuilder effects) {
        long sequence = highestSequence + 1;
        PrePrepare prePrepare =
                new PrePrepare(state.view, sequence, PrePrepare.digestOf(batch), batch, state.self());
        Slot slot = slot(sequence);
        slot.prePrepare = prePrepare;
        highestSequence = sequence;
        effects.broadcast(prePrepare);
        checkPrepared(slot, effects);
    }

    /** Whether the primary may assign another sequence number: the next one must be in the window. */
    boolean canPropose() {
        return state.inWindow(highestSequence + 1);
    }

    long highestSequence() {
        return highestSequence;
    }

    void onPrePrepare(int from, PrePrepare prePrepare, EffectsBuilder effects) {
        Slot slot = acceptablePrePrepare(from, prePrepare);
        if (slot != null) {
            accept(slot, prePrepare, effects);
        }
    }

    /**
     * A pre-prepare in which this replica could not check some request's MAC (it had no session
     * with that client yet, or the client gave it a bad entry). It is held, not prepared, until 2f
     * other backups prepare the same digest: among them at least one correct replica checked every
     * request, so the requests are authentic, and refusing the batch would leave this replica
     * stuck at that sequence number for good.
     */
    void onUnverifiedPrePrepare(int from, PrePrepare prePrepare, EffectsBuilder effects) {
        Slot slot = acceptablePrePrepare(from, prePrepare);
        if (slot == null) {
            return;
        }
        if (slot.unverified != null) {
            state.reject(slot.unverified.batchDigest().equals(prePrepare.batchDigest())
                    ? Rejection.DUPLICATE_MESSAGE
                    : Rejection.CONFLICTING_MESSAGE);
            return;
        }
        slot.unverified = prePrepare;
        acceptIfVouchedFor(slot, effects);
    }

    /** The slot for a pre-prepare that passes every check but authentication, or null (counted). */
    private Slot acceptablePrePrepare(int from, PrePrepare prePrepare) {
        if (prePrepare.view() != state.view) {
            state.reject(Rejection.WRONG_VIEW);
            return null;
        }
        if (from != state.primary()) {
            state.reject(Rejection.NOT_FROM_PRIMARY);
            return null;
        }
        if (!state.inWindow(prePrepare.sequence())) {
            state.reject(Rejection.OUTSIDE_WINDOW);
            return null;
        }
        if (prePrepare.batch().size() > state.config.batchSize()
                || prePrepare.batchBytes() > state.config.maxBatchBytes()) {
            state.reject(Rejection.OVERSIZED_BATCH);
            return null;
        }
        if (!PrePrepare.digestOf(prePrepare.batch()).equals(prePrepare.batchDigest())) {
            state.reject(Rejection.DIGEST_MISMATCH);
            return null;
        }
        Slot slot = slot(prePrepare.sequence());
        if (slot.prePrepare != null) {
            state.reject(slot.prePrepare.batchDigest().equals(prePrepare.batchDigest())
                    ? Rejection.DUPLICATE_MESSAGE
                    : Rejection.CONFLICTING_MESSAGE);
            return null;
        }
        return slot;
    }

    private void accept(Slot slot, PrePrepare prePrepare, EffectsBuilder effects) {
        slot.prePrepare = prePrepare;
        slot.unverified = null;
        highestSequence = Math.max(highestSequence, prePrepare.sequence());
        Prepare prepare = new Prepare(state.view, prePrepare.sequence(), prePrepare.batchDigest(), state.self());
        slot.prepares.put(state.self(), prepare.batchDigest());
        effects.broadcast(prepare);
        checkPrepared(slot, effects);
    }

    private void acceptIfVouchedFor(Slot slot, EffectsBuilder effects) {
        if (slot.prePrepare == null && slot.unverified != null
                && Slot.matching(slot.prepares, slot.unverified.batchDigest()) >= 2 * state.config.f()) {
            accept(slot, slot.unverified, effects);
        }
    }

    void onPrepare(int from, Prepare prepare, EffectsBuilder effects) {
        if (from == state.primary()) {
            state.reject(Rejection.PREPARE_FROM_PRIMARY);
            return;
        }
        Slot slot = acceptVote(prepare.view(), prepare.sequence());
        if (slot != null && recordVote(slot.prepares, from, prepare.batchDigest())) {
            acceptIfVouchedFor(slot, effects);
            checkPrepared(slot, effects);
        }
    }

    void onCommit(int from, Commit commit, EffectsBuilder effects) {
        Slot slot = acceptVote(commit.view(), commit.sequence());
        if (slot != null && recordVote(slot.commits, from, commit.batchDigest())) {
            checkCommitted(slot);
        }
    }

    /** The slot a prepare or commit is for, or null (counted) when it must not count. */
    private Slot acceptVote(long view, long sequence) {
        if (view != state.view) {
            state.reject(Rejection.WRONG_VIEW);
            return null;
        }
        if (!state.inWindow(sequence)) {
            state.reject(Rejection.OUTSIDE_WINDOW);
            return null;
        }
        return slot(sequence);
    }

    /** One vote per sender: a repeat is a duplicate, a different digest is equivocation; neither counts. */
    private boolean recordVote(Map<Integer, ByteString> votes, int from, ByteString digest) {
        ByteString earlier = votes.putIfAbsent(from, digest);
        if (earlier == null) {
            return true;
        }
        state.reject(earlier.equals(digest) ? Rejection.DUPLICATE_MESSAGE : Rejection.CONFLICTING_MESSAGE);
        return false;
    }

    private void checkPrepared(Slot slot, EffectsBuilder effects) {
        if (slot.prepared || slot.prePrepare == null) {
            return;
        }
        // The primary's pre-prepare stands for its prepare: 2f matching prepares from backups.
        if (Slot.matching(slot.prepares, slot.digest()) < 2 * state.config.f()) {
            return;
        }
        slot.prepared = true;
        Commit commit = new Commit(state.view, slot.sequence, slot.digest(), state.self());
        slot.commits.put(state.self(), commit.batchDigest());
        effects.broadcast(commit);
        checkCommitted(slot);
    }

    private void checkCommitted(Slot slot) {
        if (!slot.committedLocal && slot.prepared
                && Slot.matching(slot.commits, slot.digest()) >= state.config.quorum()) {
            slot.committedLocal = true;
        }
    }

    /** The slot at {@code sequence}, created on first use; callers have checked the window. */
    private Slot slot(long sequence) {
        return log.computeIfAbsent(sequence, Slot::new);
    }

    /** The committed-local slot at {@code sequence}, or null. */
    Slot committed(long sequence) {
        Slot slot = log.get(sequence);
        return slot != null && slot.committedLocal ? slot : null;
    }

    /** Slots above {@code after}, in order, at most {@code limit} of them. */
    Iterable<Slot> slotsAfter(long after, int limit) {
        return log.tailMap(after, false).values().stream().limit(limit).toList();
    }

    /**
     * A checkpoint at {@code sequence} became stable: no new vote below it can matter here. The
     * slots of the last window below it are kept, read-only, so that a replica that fell behind
     * (most often the primary, when its prepares were lost while the backups committed without
     * it) can still be sent what it missed instead of stalling until state transfer.
     */
    void discardUpTo(long sequence) {
        log.headMap(sequence - state.config.windowSize(), true).clear();
        highestSequence = Math.max(highestSequence, sequence);
    }

    int logSize() {
        return log.size();
    }
}
