package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.BatchContent;
import io.pbft.core.message.Commit;
import io.pbft.core.message.CommittedBatch;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The three-phase normal case: the primary's pre-prepare, 2f matching prepares from backups make a
 * slot <em>prepared</em> (and give its prepared certificate), 2f + 1 matching commits make it
 * <em>committed-local</em>. Keeps the message log of the watermark window, and of the window below
 * it for replicas that lag.
 *
 * <p>Votes count only in the view this replica works in. A replica that fell behind catches up on
 * what committed in other views from f + 1 matching {@link CommittedBatch} attestations instead: a
 * committed batch is a fact of the log, whatever the view it committed in.
 */
final class NormalCase {

    private final ReplicaState state;
    private final NavigableMap<Long, Slot> log = new TreeMap<>();
    private final AgreedTime agreedTime;
    /** The highest sequence number this replica assigned as primary, or accepted as backup, in this view. */
    private long highestSequence;

    NormalCase(ReplicaState state) {
        this.state = state;
        this.agreedTime = new AgreedTime(state, log);
    }

    /** Primary: assigns the next sequence number to {@code batch} and pre-prepares it at the time {@link AgreedTime} proposes. */
    void propose(List<Request> batch, EffectsBuilder effects) {
        long sequence = highestSequence + 1;
        long timestampMillis = agreedTime.proposalFor(sequence);
        Signed<PrePrepare> prePrepare = state.signer.sign(new PrePrepare(state.view, sequence,
                PrePrepare.digestOf(timestampMillis, batch), state.self(), timestampMillis));
        Slot slot = slot(sequence);
        slot.accept(prePrepare, batch);
        slot.votedFor(prePrepare.message().batchDigest());
        highestSequence = sequence;
        effects.persist(new DurableRecord.PrePrepared(prePrepare, batch));
        effects.broadcast(prePrepare, batch);
        checkPrepared(slot, effects);
    }

    /** Whether the primary may assign another sequence number: the next one must be in the window. */
    boolean canPropose() {
        return state.active && state.isPrimary() && state.inWindow(highestSequence + 1);
    }

    long highestSequence() {
        return highestSequence;
    }

    /**
     * A signed pre-prepare with its batch. When the driver could not authenticate every request in
     * it for this replica (no session with the client yet, or the client gave it a bad entry), or
     * its agreed time fails this replica's check ({@link AgreedTime#acceptable}), it is held, not
     * prepared, until 2f other backups prepare the same digest: among them at least one correct
     * replica checked every request and the time, and refusing the batch would leave this replica
     * stuck at that sequence number for good.
     */
    void onPrePrepare(int from, Signed<PrePrepare> signed, List<Request> batch, boolean requestsAuthenticated,
            EffectsBuilder effects) {
        onPrePrepare(from, signed, batch, requestsAuthenticated, true, effects);
    }

    private void onPrePrepare(int from, Signed<PrePrepare> signed, List<Request> batch, boolean requestsAuthenticated,
            boolean checkClock, EffectsBuilder effects) {
        PrePrepare prePrepare = signed.message();
        if (from != state.config.primaryOf(prePrepare.view())) {
            state.reject(Rejection.NOT_FROM_PRIMARY);
            return;
        }
        if (!fitsABatch(batch, prePrepare.batchDigest(), prePrepare.timestampMillis())) {
            return;
        }
        if (!state.inWindow(prePrepare.sequence()) && prePrepare.sequence() > state.lastExecuted) {
            // Below the window only what a new view carried over is ordered (see enterView); a
            // fresh pre-prepare there would have replicas vote against what committed.
            state.reject(Rejection.OUTSIDE_WINDOW);
            return;
        }
        Slot slot = slotFor(prePrepare.view(), prePrepare.sequence());
        if (slot == null) {
            return;
        }
        if (slot.prePrepare != null && slot.digest().equals(prePrepare.batchDigest())
                && slot.batchFor(slot.digest()) == null) {
            // a carried-over pre-prepare, resent with the batch it lacked
            slot.addBatch(slot.digest(), batch, prePrepare.timestampMillis());
        }
        if (isRepeat(slot.prePrepare, signed, effects)) {
            return;
        }
        boolean timely = !checkClock || agreedTime.acceptable(slot.sequence, prePrepare.timestampMillis());
        if (!timely) {
            // Invalid to this replica, which does not vote for it; but held, as below, so that a
            // replica whose clock is off, or that gets the pre-prepare long after it was made, still
            // prepares what 2f others vouched for, among whom a correct one checked the time.
            state.reject(Rejection.UNACCEPTABLE_TIMESTAMP);
        }
        if (requestsAuthenticated && timely) {
            accept(slot, signed, batch, effects);
        } else if (!isRepeat(slot.unverified, signed, effects)) {
            slot.unverified = signed;
            slot.unverifiedBatch = List.copyOf(batch);
            acceptIfVouchedFor(slot, effects);
        }
    }

    /**
     * Whether a pre-prepare is already held for the slot (counted as a duplicate, or as equivocation,
     * whose proof is reported).
     */
    private boolean isRepeat(Signed<PrePrepare> held, Signed<PrePrepare> offered, EffectsBuilder effects) {
        if (held == null) {
            return false;
        }
        if (held.message().batchDigest().equals(offered.message().batchDigest())) {
            state.reject(Rejection.DUPLICATE_MESSAGE);
        } else {
            state.reject(Rejection.CONFLICTING_MESSAGE);
            effects.event(new ProtocolEvent.Equivocation(offered.message().replica(), held, offered));
        }
        return true;
    }

    /**
     * The slot that collects messages of {@code view} at {@code sequence}, or null (counted) when
     * they cannot count: a view this replica has not entered, or one its slot has left behind.
     */
    private Slot slotFor(long view, long sequence) {
        Slot slot = log.get(sequence);
        if (sequence <= state.lastExecuted && slot != null && slot.view == view) {
            return slot; // a late vote for what executed here: harmless, and nothing to count
        }
        if (view != state.view || !state.active) {
            state.reject(Rejection.WRONG_VIEW);
            return null;
        }
        if (!state.inLogRange(sequence)) {
            state.reject(sequence <= state.lastExecuted ? Rejection.ALREADY_EXECUTED : Rejection.OUTSIDE_WINDOW);
            return null;
        }
        if (slot == null) {
            slot = new Slot(sequence, view);
            log.put(sequence, slot);
        } else if (slot.view < view) {
            slot.moveTo(view);
        }
        return slot;
    }

    /** Whether this replica takes part in the slot's view: only then does it send votes for it. */
    private boolean participates(Slot slot) {
        return state.active && slot.view == state.view;
    }

    /**
     * A peer says a batch committed at a sequence number this replica has not executed. Once f + 1
     * peers say the same, one of them is correct, so the batch is the one decided there.
     */
    void onCommittedBatch(int from, CommittedBatch committed) {
        long sequence = committed.sequence();
        if (!state.inLogRange(sequence)) {
            state.reject(sequence <= state.lastExecuted ? Rejection.ALREADY_EXECUTED : Rejection.OUTSIDE_WINDOW);
            return;
        }
        if (!fitsABatch(committed.batch(), committed.batchDigest(), committed.timestampMillis())) {
            return;
        }
        Slot slot = log.computeIfAbsent(sequence, s -> new Slot(s, state.view));
        if (slot.committedLocal()) {
            return; // decided here already: nothing to learn from it
        }
        if (!firstVote(slot.attestations.get(from), committed.batchDigest(), digest -> digest)) {
            return;
        }
        slot.attestations.put(from, committed.batchDigest());
        if (slot.attestationsFor(committed.batchDigest()) > state.config.f()) {
            slot.committedDigest = committed.batchDigest();
            slot.addBatch(committed.batchDigest(), committed.batch(), committed.timestampMillis());
        }
    }

    /** Whether a batch a peer sent is within the limits and has the digest claimed, with its time (counted if not). */
    private boolean fitsABatch(List<Request> batch, ByteString batchDigest, long timestampMillis) {
        if (batch.size() > state.config.batchSize() || PrePrepare.bytesOf(batch) > state.config.maxBatchBytes()) {
            state.reject(Rejection.OVERSIZED_BATCH);
            return false;
        }
        if (!PrePrepare.digestOf(timestampMillis, batch).equals(batchDigest)) {
            state.reject(Rejection.DIGEST_MISMATCH);
            return false;
        }
        return true;
    }

    private void accept(Slot slot, Signed<PrePrepare> prePrepare, List<Request> batch, EffectsBuilder effects) {
        slot.accept(prePrepare, batch);
        slot.acceptedAtMillis = state.nowMillis;
        if (participates(slot)) {
            slot.votedFor(prePrepare.message().batchDigest());
            highestSequence = Math.max(highestSequence, slot.sequence);
            if (state.config.primaryOf(slot.view) != state.self()) {
                Signed<Prepare> prepare = state.signer.sign(
                        new Prepare(slot.view, slot.sequence, slot.digest(), state.self()));
                slot.prepares.put(state.self(), prepare);
                effects.persist(new DurableRecord.PrePrepared(prePrepare, batch));
                effects.broadcast(prepare);
            }
            if (prePrepare.message().batchDigest().equals(slot.committedDigest)) {
                // Carried over into a new view, a batch that committed here already: its sequence
                // number is decided, and every later new view carries it over too, so this replica
                // commits to it at once. With only 2f + 1 correct replicas left, the others cannot
                // commit it in this view without this replica's commit, and its own prepare round
                // may never complete if it missed their prepares.
                sendCommit(slot, effects);
            }
        }
        checkPrepared(slot, effects);
    }

    private void sendCommit(Slot slot, EffectsBuilder effects) {
        if (!slot.commits.containsKey(state.self())) {
            Commit commit = new Commit(slot.view, slot.sequence, slot.digest(), state.self());
            slot.commits.put(state.self(), commit);
            if (slot.preparedCertificate != null && slot.preparedCertificate.view() == slot.view) {
                effects.persist(new DurableRecord.Prepared(slot.preparedCertificate));
            }
            effects.broadcast(commit);
        }
    }

    private void acceptIfVouchedFor(Slot slot, EffectsBuilder effects) {
        if (slot.prePrepare == null && slot.unverified != null
                && slot.preparesFor(slot.unverified.message().batchDigest())
                        >= 2 * state.config.f()) {
            accept(slot, slot.unverified, slot.unverifiedBatch, effects);
        }
    }

    void onPrepare(int from, Signed<Prepare> signed, EffectsBuilder effects) {
        Prepare prepare = signed.message();
        if (from == state.config.primaryOf(prepare.view())) {
            state.reject(Rejection.PREPARE_FROM_PRIMARY);
            return;
        }
        Slot slot = slotFor(prepare.view(), prepare.sequence());
        Signed<Prepare> earlier = slot == null ? null : slot.prepares.get(from);
        if (earlier != null && !earlier.message().batchDigest().equals(prepare.batchDigest())) {
            effects.event(new ProtocolEvent.Equivocation(from, earlier, signed)); // counted by firstVote
        }
        if (slot != null && firstVote(earlier, prepare.batchDigest(), s -> s.message().batchDigest())) {
            slot.prepares.put(from, signed);
            acceptIfVouchedFor(slot, effects);
            checkPrepared(slot, effects);
        }
    }

    void onCommit(int from, Commit commit, EffectsBuilder effects) {
        Slot slot = slotFor(commit.view(), commit.sequence());
        if (slot != null && firstVote(slot.commits.get(from), commit.batchDigest(), Commit::batchDigest)) {
            slot.commits.put(from, commit);
            checkCommitted(slot);
        }
    }

    /** One vote per sender and view: a repeat is a duplicate, a different digest equivocation; neither counts. */
    private <T> boolean firstVote(T earlier, ByteString digest, Function<T, ByteString> digestOf) {
        if (earlier == null) {
            return true;
        }
        state.reject(digestOf.apply(earlier).equals(digest)
                ? Rejection.DUPLICATE_MESSAGE
                : Rejection.CONFLICTING_MESSAGE);
        return false;
    }

    private void checkPrepared(Slot slot, EffectsBuilder effects) {
        if (slot.prepared || slot.prePrepare == null) {
            return;
        }
        // The primary's pre-prepare stands for its prepare: 2f matching prepares from backups.
        int needed = 2 * state.config.f();
        if (slot.preparesFor(slot.digest()) < needed) {
            return;
        }
        slot.prepared = true;
        slot.preparedCertificate = new PreparedCertificate(slot.prePrepare, slot.matchingPrepares(needed));
        effects.prepared(slot.view, slot.sequence);
        if (participates(slot)) {
            sendCommit(slot, effects);
        }
        checkCommitted(slot);
    }

    private void checkCommitted(Slot slot) {
        if (!slot.committedLocal() && slot.prepared
                && slot.commitsFor(slot.digest()) >= state.config.quorum()) {
            slot.committedDigest = slot.digest();
            slot.committedView = slot.view;
        }
    }

    /**
     * Enters {@code view} with the pre-prepares its new view carried over: every slot above the low
     * watermark starts the new view empty (what outlives a view change stays), and each carried-over
     * pre-prepare is accepted as if just received, batch or not: its batch prepared in an earlier
     * view, so correct replicas have it and one that lacks it can fetch it. A replica that executed
     * a carried-over sequence number already still votes for it in the new view: a replica that
     * has not can commit it only on 2f + 1 commits of this view.
     */
    void enterView(long view, List<Signed<PrePrepare>> carriedOver, EffectsBuilder effects) {
        highestSequence = state.lowWatermark;
        for (Slot slot : log.tailMap(state.lowWatermark, false).values()) {
            slot.moveTo(view);
        }
        for (Signed<PrePrepare> prePrepare : carriedOver) {
            long sequence = prePrepare.message().sequence();
            highestSequence = Math.max(highestSequence, sequence);
            if (sequence <= state.lowWatermark - state.config.windowSize()) {
                continue; // below everything this replica keeps
            }
            Slot slot = slot(sequence);
            accept(slot, prePrepare, slot.batchFor(prePrepare.message().batchDigest()), effects);
        }
    }

    /**
     * Recovery: a pre-prepare this replica made or accepted before a restart, taken again as it was
     * then (a repeat of one already restored counts for nothing). One without its batch came with a
     * new view, and that view's record restores it.
     */
    void restorePrePrepare(DurableRecord.PrePrepared record, EffectsBuilder effects) {
        if (record.batch() != null) {
            PrePrepare prePrepare = record.prePrepare().message();
            // Its time was checked when it was first accepted; the clock has moved on since.
            onPrePrepare(state.config.primaryOf(prePrepare.view()), record.prePrepare(), record.batch(), true, false,
                    effects);
        }
    }

    /** Recovery: the prepared certificate this replica committed on, so that a view change carries it again. */
    void restorePrepared(PreparedCertificate certificate, EffectsBuilder effects) {
        Slot slot = log.get(certificate.sequence());
        if (slot == null || slot.view != certificate.view() || slot.prePrepare == null
                || !slot.prePrepare.equals(certificate.prePrepare())) {
            return; // below what this replica keeps now, or a view it has left since
        }
        for (Signed<Prepare> prepare : certificate.prepares()) {
            slot.prepares.putIfAbsent(prepare.signer(), prepare);
        }
        checkPrepared(slot, effects);
    }

    /**
     * Recovery: a batch this replica was executing at {@code sequence} before a restart, decided
     * then, so decided now: it executes again from the snapshot on, whatever the window says.
     */
    void restoreCommitted(DurableRecord.Committed committed) {
        Slot slot = log.computeIfAbsent(committed.sequence(), s -> new Slot(s, state.view));
        slot.addBatch(committed.batchDigest(), committed.batch(), committed.timestampMillis());
        slot.committedDigest = committed.batchDigest();
        slot.committedBeforeRestart = true;
        highestSequence = Math.max(highestSequence, committed.sequence());
    }

    /**
     * Recovery: prepared certificates this replica held before a restart (those its commits stood
     * on, those of its own view change), so that its next view change carries them again: per
     * sequence number, the one of the highest view. Their batches come from peers if needed.
     */
    void restoreCertificates(List<PreparedCertificate> certificates) {
        for (PreparedCertificate certificate : certificates) {
            if (state.inWindow(certificate.sequence())) {
                Slot slot = log.computeIfAbsent(certificate.sequence(), s -> new Slot(s, certificate.view()));
                if (slot.preparedCertificate == null || slot.preparedCertificate.view() < certificate.view()) {
                    slot.preparedCertificate = certificate;
                }
            }
        }
    }

    /** For a view change: this replica's prepared certificates above the low watermark, in sequence order. */
    List<PreparedCertificate> preparedCertificates() {
        List<PreparedCertificate> certificates = new ArrayList<>();
        for (Slot slot : log.tailMap(state.lowWatermark, false).values()) {
            if (slot.preparedCertificate != null && state.inWindow(slot.sequence)) {
                certificates.add(slot.preparedCertificate);
            }
        }
        return certificates;
    }

    /** The agreed time of the batch this replica has for ({@code sequence}, {@code batchDigest}). */
    long timestampFor(long sequence, ByteString batchDigest) {
        Slot slot = log.get(sequence);
        return slot == null ? 0 : slot.timestampFor(batchDigest);
    }

    /** The batch this replica has for ({@code sequence}, {@code batchDigest}), or null. */
    List<Request> batchFor(long sequence, ByteString batchDigest) {
        Slot slot = log.get(sequence);
        return slot == null ? null : slot.batchFor(batchDigest);
    }

    /** Requests of every batch carried over into this view that this replica has, for the primary's batcher. */
    List<Request> carriedOverRequests() {
        List<Request> requests = new ArrayList<>();
        for (Slot slot : log.tailMap(state.lowWatermark, false).values()) {
            List<Request> batch = slot.batchFor(slot.digest());
            if (batch != null) {
                requests.addAll(batch);
            }
        }
        return requests;
    }

    /** Slots that know which batch they need but do not have it, in order, at most {@code limit}. */
    List<Slot> slotsMissingBatches(int limit) {
        List<Slot> missing = new ArrayList<>();
        for (Slot slot : log.tailMap(state.lastExecuted, false).values()) {
            if (missing.size() < limit && slot.missingBatch() != null) {
                missing.add(slot);
            }
        }
        return missing;
    }

    /** A batch a peer sent for a slot that lacks it: kept if it is the one the slot needs. */
    void onBatchContent(BatchContent content) {
        Slot slot = log.get(content.sequence());
        ByteString wanted = slot == null ? null : slot.missingBatch();
        if (wanted == null || !wanted.equals(content.batchDigest())) {
            state.reject(Rejection.UNWANTED_BATCH);
            return;
        }
        if (fitsABatch(content.batch(), wanted, content.timestampMillis())) {
            slot.addBatch(wanted, content.batch(), content.timestampMillis());
        }
    }

    /** The committed-local slot at {@code sequence} whose batch this replica has, or null. */
    Slot committed(long sequence) {
        Slot slot = log.get(sequence);
        return slot != null && slot.committedLocal() && slot.batchFor(slot.committedDigest) != null ? slot : null;
    }

    /** Slots above {@code after}, in order, at most {@code limit} of them. */
    List<Slot> slotsAfter(long after, int limit) {
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

    /**
     * Drops the slots below the window that executed: only a restarted replica holds such slots,
     * batches from its log that it executed again from its snapshot (a live replica discards them
     * when its low watermark moves).
     */
    void discardExecutedBelowWindow() {
        long below = Math.min(state.lastExecuted, state.lowWatermark - state.config.windowSize());
        if (!log.isEmpty() && log.firstKey() <= below) {
            log.headMap(below, true).clear();
        }
    }

    int logSize() {
        return log.size();
    }

    /** When this replica accepted the pre-prepare at {@code sequence} in the current view, or -1. */
    long acceptedAtMillis(long sequence) {
        Slot slot = log.get(sequence);
        return slot == null || slot.view != state.view ? -1 : slot.acceptedAtMillis;
    }

    /** Every slot, in order: for the invariant checks. */
    Iterable<Slot> slots() {
        return log.values();
    }

    /** The slot at {@code sequence}, in this view; callers have checked the window. */
    private Slot slot(long sequence) {
        Slot slot = log.computeIfAbsent(sequence, s -> new Slot(s, state.view));
        if (slot.view < state.view) {
            slot.moveTo(state.view);
        }
        return slot;
    }
}
