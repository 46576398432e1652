package io.pbft.core;

import io.pbft.core.message.BatchContent;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.CommittedBatch;
import io.pbft.core.message.FetchBatch;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.SlowPrimaryComplaint;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.util.Arrays;
import java.util.List;

/**
 * How replicas recover lost messages: each broadcasts its {@link Status} every status interval,
 * and a peer answers a replica that is stalled or behind with its own part of the slots that
 * replica has not executed (the messages as they were made, in the view they were made in), with
 * the proof of its stable checkpoint, and with the new-view message of a view that replica has not
 * entered. A replica catching up asks again as soon as it has executed half of what it was sent,
 * and is answered at once, so that its pace, not the timer's, sets how fast it catches up.
 * Everything a faulty peer can make this replica resend is bounded (see {@link #onStatus}).
 *
 * <p>With its status, a replica in a view change resends its view change, and one that lacks the
 * batch of a slot carried over into a new view asks for it again.
 */
final class StatusExchange {

    /** What this replica knows of one peer's status messages and of what it resent to it. */
    private static final class Peer {
        /** When its status was last answered: a faulty peer must not turn us into an amplifier. */
        long answeredAtMillis = Long.MIN_VALUE / 2;
        /** The highest last executed sequence number it reported, to tell a stalled peer from a busy one. */
        long reportedLastExecuted = -1;
        /** First and last sequence numbers of the last retransmission to it; first is -1 if none. */
        long retransmittedFirst = -1;
        long retransmittedLast;
        /** Slots (and batches) resent to it in the status interval that started at {@code resentSinceMillis}. */
        int resentSlots;
        /** Bytes of batches resent to it in that interval. */
        long resentBatchBytes;
        long resentSinceMillis = Long.MIN_VALUE / 2;
    }

    private final ReplicaState state;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final ViewChanges viewChanges;
    private final Peer[] peers;
    private long nextStatusAtMillis;
    /** This replica's last executed sequence number when it last broadcast its status. */
    private long statusSentLastExecuted;

    StatusExchange(ReplicaState state, NormalCase normalCase, Checkpoints checkpoints, ViewChanges viewChanges) {
        this.state = state;
        this.normalCase = normalCase;
        this.checkpoints = checkpoints;
        this.viewChanges = viewChanges;
        this.peers = new Peer[state.config.replicaCount()];
        Arrays.setAll(peers, i -> new Peer());
    }

    /** Broadcasts this replica's status if the interval is up. */
    void onTick(EffectsBuilder effects) {
        if (state.nowMillis >= nextStatusAtMillis) {
            broadcast(effects);
        }
    }

    /**
     * Catching up, asks for the next part as soon as half of the last one has executed, rather
     * than at the next interval; and asks to be woken for the next regular status.
     */
    void afterInput(EffectsBuilder effects) {
        if (state.lastExecuted >= statusSentLastExecuted + halfRetransmitLimit() && behindPeers()) {
            broadcast(effects);
        }
        if (nextStatusAtMillis == 0) {
            nextStatusAtMillis = state.nowMillis + state.config.statusIntervalMillis();
        }
        effects.wakeAt(nextStatusAtMillis);
    }

    /**
     * A peer reported its progress: send the proof of the stable checkpoint if the peer's low
     * watermark is behind ours, the new view if it has not entered ours, and, if the peer has not
     * executed anything since its previous status or is further behind than the pipeline explains,
     * this replica's own part of up to {@code retransmitLimit} slots it has not executed
     * (including the retained window below the low watermark). A replica resends only messages
     * signed by their makers (its own, and the proofs and new views it holds) and its own MAC'd ones.
     */
    void onStatus(int from, Status status, EffectsBuilder effects) {
        Peer peer = peers[from];
        // Once a half interval per peer, or sooner for a peer that has executed at least half of
        // what it was last sent (and claims no more than that): that is a replica catching up.
        // Each early answer starts at least half a retransmission further on, so a faulty peer
        // that claims progress gets each slot at most twice per pass; the per-interval budget
        // below bounds what any peer can get.
        boolean progressed = status.lastExecuted() > peer.reportedLastExecuted;
        peer.reportedLastExecuted = Math.max(peer.reportedLastExecuted, status.lastExecuted());
        boolean tooSoon = state.nowMillis - peer.answeredAtMillis < state.config.statusIntervalMillis() / 2;
        boolean consumedRetransmission = peer.retransmittedFirst >= 0
                && status.lastExecuted() >= peer.retransmittedFirst - 1 + halfRetransmitLimit()
                && status.lastExecuted() <= peer.retransmittedLast;
        if (tooSoon && !consumedRetransmission) {
            state.reject(progressed && peer.retransmittedFirst < 0
                    ? Rejection.EARLY_STATUS : Rejection.STATUS_TOO_FREQUENT);
            return;
        }
        peer.answeredAtMillis = state.nowMillis;
        if (status.lowWatermark() < state.lowWatermark) {
            for (Signed<Checkpoint> vote : checkpoints.stableCheckpoint().proof()) {
                if (vote.signer() != from) {
                    effects.send(from, vote);
                }
            }
        }
        Signed<NewView> newView = viewChanges.currentNewView();
        if (newView != null && (status.view() < state.view || (status.view() == state.view && !status.active()))) {
            effects.send(from, newView);
        }
        // A peer that executed more since its last status and is behind by no more than can be in
        // flight will get what it lacks; resending it would cost a signature and a verification
        // per message for nothing. A peer that did not move, or fell further behind than the
        // pipeline explains, is missing something: resend at once, before it falls out of reach.
        boolean lagging = state.lastExecuted - status.lastExecuted() > 2L * state.config.maxInFlightBatches();
        peer.retransmittedFirst = -1;
        if (progressed && !lagging) {
            return;
        }
        if (status.lastExecuted() < state.lowWatermark - state.config.windowSize()) {
            return; // what it needs next is no longer kept here: only the stable checkpoint can help it
        }
        for (Slot slot : normalCase.slotsAfter(status.lastExecuted(), budget(peer))) {
            if (peer.resentBatchBytes >= batchBytesPerInterval()) {
                break;
            }
            if (peer.retransmittedFirst < 0) {
                peer.retransmittedFirst = slot.sequence;
            }
            peer.retransmittedLast = slot.sequence;
            peer.resentSlots++;
            resendOwnPart(peer, status, !progressed, slot, effects);
        }
    }

    /** How many more slots (or batches) this peer may be sent in the current status interval. */
    private int budget(Peer peer) {
        if (state.nowMillis - peer.resentSinceMillis >= state.config.statusIntervalMillis()) {
            peer.resentSinceMillis = state.nowMillis;
            peer.resentSlots = 0;
            peer.resentBatchBytes = 0;
        }
        return Math.max(0, Math.min(state.config.retransmitLimit(), state.config.windowSize() - peer.resentSlots));
    }

    /**
     * The batch bytes one peer may be sent per status interval, whatever it asks: requests are small
     * and batches may be large, so a count of slots alone would let a faulty peer draw megabytes
     * with every few bytes it sends.
     */
    private long batchBytesPerInterval() {
        return 2L * state.config.maxBatchBytes();
    }

    /**
     * What a peer that lacks this slot needs from this replica: its own messages for the slot, as
     * it made them; and for a batch it executed, when the peer is stuck (it executed nothing since
     * its last status) or the votes cannot help it (it works in another view, or the slot is at or
     * below its stable checkpoint, where it takes no fresh pre-prepare), this replica's word that the
     * batch committed, with the batch: f + 1 of those let the peer execute it whatever the view.
     * Only then: the batch is the heavy part, and a peer merely a little behind under load gets
     * what it lacks from the votes alone.
     */
    private void resendOwnPart(Peer peer, Status status, boolean stuck, Slot slot, EffectsBuilder effects) {
        int to = status.replica();
        boolean votesCannotHelp = stuck || status.view() != slot.view || !status.active()
                || slot.sequence <= status.lowWatermark();
        List<Request> executed = slot.sequence <= state.lastExecuted && votesCannotHelp
                ? slot.batchFor(slot.committedDigest)
                : null;
        if (executed != null) {
            peer.resentBatchBytes += PrePrepare.bytesOf(executed);
            effects.send(to, new CommittedBatch(slot.sequence, slot.committedDigest, executed, state.self(),
                    slot.timestampFor(slot.committedDigest)));
        }
        if (slot.prePrepare != null && slot.prePrepare.signer() == state.self()) {
            List<Request> batch = slot.batchFor(slot.digest());
            if (batch != null) {
                peer.resentBatchBytes += PrePrepare.bytesOf(batch);
                effects.send(to, slot.prePrepare, batch);
            }
        }
        Signed<Prepare> prepared = slot.prepares.get(state.self());
        if (prepared != null) {
            effects.send(to, prepared);
        }
        Commit committed = slot.commits.get(state.self());
        if (committed != null) {
            effects.send(to, committed);
        }
    }

    /** A peer lacks a batch carried over into a new view: send it if this replica has it, within the peer's budget. */
    void onFetchBatch(int from, FetchBatch fetch, EffectsBuilder effects) {
        List<Request> batch = normalCase.batchFor(fetch.sequence(), fetch.batchDigest());
        if (batch == null) {
            state.reject(Rejection.UNWANTED_BATCH);
            return;
        }
        Peer peer = peers[from];
        if (budget(peer) == 0 || peer.resentBatchBytes >= batchBytesPerInterval()) {
            state.reject(Rejection.STATUS_TOO_FREQUENT);
            return;
        }
        peer.resentSlots++;
        peer.resentBatchBytes += PrePrepare.bytesOf(batch);
        effects.send(from, new BatchContent(fetch.sequence(), fetch.batchDigest(), batch, state.self(),
                normalCase.timestampFor(fetch.sequence(), fetch.batchDigest())));
    }

    /**
     * Asks for the batches this replica needs and lacks, each from one peer, another each status
     * interval: f + 1 correct replicas hold each batch a new view carried over, so the asking
     * comes round to one of them, and no batch comes back n - 1 times.
     */
    void requestMissingBatches(EffectsBuilder effects) {
        long round = state.nowMillis / state.config.statusIntervalMillis();
        int peersCount = state.config.replicaCount() - 1;
        for (Slot slot : normalCase.slotsMissingBatches(state.config.retransmitLimit())) {
            int peer = (int) Math.floorMod(slot.sequence + round, (long) peersCount);
            effects.send(peer >= state.self() ? peer + 1 : peer, new FetchBatch(slot.sequence, slot.missingBatch(),
                    state.self()));
        }
    }

    private long halfRetransmitLimit() {
        return Math.max(1, state.config.retransmitLimit() / 2);
    }

    private void broadcast(EffectsBuilder effects) {
        effects.broadcast(new Status(state.view, state.active, state.lastExecuted, state.lowWatermark, state.self()));
        Signed<ViewChange> pending = viewChanges.pendingViewChange();
        if (pending != null) {
            effects.broadcast(pending);
        }
        SlowPrimaryComplaint complaint = viewChanges.pendingComplaint();
        if (complaint != null) {
            effects.broadcast(complaint);
        }
        requestMissingBatches(effects);
        nextStatusAtMillis = state.nowMillis + state.config.statusIntervalMillis();
        statusSentLastExecuted = state.lastExecuted;
    }

    /**
     * Whether f + 1 peers, so at least one correct one, reported having executed more than this
     * replica, by more than the pipeline explains: then this replica is catching up.
     */
    boolean behindPeers() {
        long[] reported = new long[peers.length];
        for (int i = 0; i < peers.length; i++) {
            reported[i] = i == state.self() ? -1 : peers[i].reportedLastExecuted;
        }
        Arrays.sort(reported);
        long ahead = reported[reported.length - 1 - state.config.f()]; // the (f + 1)-th highest
        return ahead - state.lastExecuted > 2L * state.config.maxInFlightBatches();
    }
}
