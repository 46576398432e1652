package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Status;
import java.util.Arrays;
import java.util.List;

/**
 * One replica's protocol core. Feed it inputs, carry out the {@link Effects} each returns:
 *
 * <ul>
 *   <li>{@link #onRequest}: a client request whose authenticator the driver has checked;
 *   <li>{@link #onMessage}: a replica message whose signature the driver has checked;
 *   <li>{@link #onUnverifiedPrePrepare}: a signed pre-prepare with a request the driver could not
 *       authenticate for this replica;
 *   <li>{@link #onTick}: the driver's clock moved (call it at {@code wakeAtMillis} at the latest);
 *   <li>{@link #onExecuted}: the driver executed the oldest outstanding {@link Execution}.
 * </ul>
 *
 * Not thread-safe: a driver calls it from one thread. Time comes only from the arguments.
 */
public final class Replica {

    private final ReplicaState state;
    private final ClientTable clients = new ClientTable();
    private final Batcher batcher;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final ExecutionOrder executionOrder;
    private long nextStatusAtMillis;
    /** When each peer's status was last answered: a faulty peer must not turn us into an amplifier. */
    private final long[] statusAnsweredAtMillis;
    /** The last executed sequence number each peer reported, to tell a stalled peer from a busy one. */
    private final long[] reportedLastExecuted;
    /** Per peer, the first and last sequence numbers of the last retransmission to it; -1 if none. */
    private final long[] retransmittedFirst;
    private final long[] retransmittedLast;
    /** Per peer, slots resent in the current status interval, which started at {@code resentSinceMillis}. */
    private final int[] resentSlots;
    private final long[] resentSinceMillis;
    /** This replica's last executed sequence number when it last broadcast its status. */
    private long statusSentLastExecuted;

    public Replica(ReplicaConfig config) {
        this.state = new ReplicaState(config);
        this.batcher = new Batcher(state);
        this.normalCase = new NormalCase(state);
        this.checkpoints = new Checkpoints(state);
        this.executionOrder = new ExecutionOrder(state, normalCase, checkpoints, clients);
        this.statusAnsweredAtMillis = new long[config.replicaCount()];
        Arrays.fill(statusAnsweredAtMillis, Long.MIN_VALUE / 2);
        this.reportedLastExecuted = new long[config.replicaCount()];
        Arrays.fill(reportedLastExecuted, -1);
        this.retransmittedFirst = new long[config.replicaCount()];
        Arrays.fill(retransmittedFirst, -1);
        this.retransmittedLast = new long[config.replicaCount()];
        this.resentSlots = new int[config.replicaCount()];
        this.resentSinceMillis = new long[config.replicaCount()];
        Arrays.fill(resentSinceMillis, Long.MIN_VALUE / 2);
    }

    public Effects onRequest(Request request, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        admit(request, effects);
        return finish(effects);
    }

    /**
     * As {@link #onRequest} for each request, in order, but a primary proposes only after taking
     * them all: requests that arrived together then share a batch (and its signatures) instead of
     * the first one leaving alone in a batch of its own.
     */
    public Effects onRequests(List<Request> requests, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        for (Request request : requests) {
            admit(request, effects);
        }
        return finish(effects);
    }

    private void admit(Request request, EffectsBuilder effects) {
        Reply cached = clients.cachedReply(request);
        if (cached != null) {
            effects.reply(cached); // the client missed our reply: send it again
        } else if (request.timestamp() <= clients.lastOrderedTimestamp(request.clientId())) {
            state.reject(Rejection.STALE_REQUEST);
        } else if (request.sizeBytes() > state.config.maxBatchBytes()) {
            state.reject(Rejection.OVERSIZED_REQUEST);
        } else if (!state.isPrimary()) {
            // Clients send to the primary first and to everyone on retransmission; a backup has
            // nothing to do with it until view changes make it watch the primary.
            state.reject(Rejection.REQUEST_TO_BACKUP);
        } else if (!batcher.add(request)) {
            state.reject(Rejection.REQUEST_IN_PROGRESS);
        }
    }

    public Effects onMessage(int from, ReplicaMessage message, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        if (from < 0 || from >= state.config.replicaCount()) {
            state.reject(Rejection.UNKNOWN_SENDER);
        } else if (message.replica() != from) {
            state.reject(Rejection.SENDER_MISMATCH);
        } else if (from == state.self()) {
            state.reject(Rejection.FROM_SELF);
        } else if (message instanceof PrePrepare prePrepare) {
            normalCase.onPrePrepare(from, prePrepare, effects);
        } else if (message instanceof Prepare prepare) {
            normalCase.onPrepare(from, prepare, effects);
        } else if (message instanceof Commit commit) {
            normalCase.onCommit(from, commit, effects);
        } else if (message instanceof Checkpoint checkpoint) {
            if (checkpoints.onCheckpoint(from, checkpoint)) {
                normalCase.discardUpTo(state.lowWatermark);
            }
        } else if (message instanceof Status status) {
            onStatus(from, status, effects);
        }
        return finish(effects);
    }

    /**
     * A pre-prepare whose signature the driver checked, but in which it could not authenticate
     * every request for this replica. It counts only once 2f other backups prepare it.
     */
    public Effects onUnverifiedPrePrepare(int from, PrePrepare prePrepare, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        if (from < 0 || from >= state.config.replicaCount()) {
            state.reject(Rejection.UNKNOWN_SENDER);
        } else if (from == state.self()) {
            state.reject(Rejection.FROM_SELF);
        } else {
            normalCase.onUnverifiedPrePrepare(from, prePrepare, effects);
        }
        return finish(effects);
    }

    public Effects onTick(long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        if (nowMillis >= nextStatusAtMillis) {
            broadcastStatus(effects);
        }
        return finish(effects);
    }

    /**
     * Reports the execution of the oldest outstanding {@link Execution}: one result per request
     * in it, and the state digest after it when it was a checkpoint (otherwise empty).
     */
    public Effects onExecuted(long sequence, List<ByteString> results, ByteString stateDigest, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        if (executionOrder.onExecuted(sequence, results, stateDigest, effects)) {
            normalCase.discardUpTo(state.lowWatermark);
        }
        return finish(effects);
    }

    /**
     * A peer reported its progress: send the stable checkpoint if the peer's low watermark is
     * behind ours, and, if the peer has not executed anything since its previous status or is
     * further behind than the pipeline explains, this replica's own part of up to
     * {@code retransmitLimit} slots it has not executed (including the retained window below the
     * low watermark). Only the signer of a message can send it, so this replica resends its own
     * messages and nothing else.
     */
    private void onStatus(int from, Status status, EffectsBuilder effects) {
        // Once a half interval per peer, or sooner for a peer that has executed at least half of
        // what it was last sent (and claims no more than that): that is a replica catching up,
        // and making it wait for the timer would cap its pace below the cluster's, so that it
        // could never catch up under load. Each early answer starts at least half a
        // retransmission further on, so a faulty peer that claims progress gets each slot at most
        // twice per pass; the per-interval budget below bounds what any peer can get.
        boolean progressed = status.lastExecuted() > reportedLastExecuted[from];
        reportedLastExecuted[from] = Math.max(reportedLastExecuted[from], status.lastExecuted());
        boolean tooSoon = state.nowMillis - statusAnsweredAtMillis[from] < state.config.statusIntervalMillis() / 2;
        boolean consumedRetransmission = retransmittedFirst[from] >= 0
                && status.lastExecuted() >= retransmittedFirst[from] - 1 + halfRetransmitLimit()
                && status.lastExecuted() <= retransmittedLast[from];
        if (tooSoon && !consumedRetransmission) {
            state.reject(progressed && retransmittedFirst[from] < 0
                    ? Rejection.EARLY_STATUS : Rejection.STATUS_TOO_FREQUENT);
            return;
        }
        statusAnsweredAtMillis[from] = state.nowMillis;
        Checkpoint stable = checkpoints.stableCheckpoint();
        if (stable != null && status.lowWatermark() < stable.sequence()) {
            effects.send(from, stable);
        }
        // A peer that executed more since its last status and is behind by no more than can be in
        // flight will get what it lacks; resending it would cost a signature and a verification
        // per message for nothing. A peer that did not move, or fell further behind than the
        // pipeline explains, is missing something: resend at once, before it falls out of reach.
        boolean stalled = !progressed;
        boolean lagging = state.lastExecuted - status.lastExecuted() > 2L * state.config.maxInFlightBatches();
        retransmittedFirst[from] = -1;
        if (!stalled && !lagging) {
            return;
        }
        if (status.lastExecuted() < state.lowWatermark - state.config.windowSize()) {
            return; // what it needs next is no longer kept here: only the stable checkpoint can help it
        }
        if (state.nowMillis - resentSinceMillis[from] >= state.config.statusIntervalMillis()) {
            resentSinceMillis[from] = state.nowMillis;
            resentSlots[from] = 0;
        }
        int budget = Math.min(state.config.retransmitLimit(), state.config.windowSize() - resentSlots[from]);
        for (Slot slot : normalCase.slotsAfter(status.lastExecuted(), Math.max(0, budget))) {
            if (retransmittedFirst[from] < 0) {
                retransmittedFirst[from] = slot.sequence;
            }
            retransmittedLast[from] = slot.sequence;
            resentSlots[from]++;
            if (slot.prePrepare != null && slot.prePrepare.replica() == state.self()) {
                effects.send(from, slot.prePrepare);
            }
            ByteString prepared = slot.prepares.get(state.self());
            if (prepared != null) {
                effects.send(from, new Prepare(state.view, slot.sequence, prepared, state.self()));
            }
            ByteString committed = slot.commits.get(state.self());
            if (committed != null) {
                effects.send(from, new Commit(state.view, slot.sequence, committed, state.self()));
            }
        }
    }

    private long halfRetransmitLimit() {
        return Math.max(1, state.config.retransmitLimit() / 2);
    }

    private void broadcastStatus(EffectsBuilder effects) {
        effects.broadcast(new Status(state.view, state.lastExecuted, state.lowWatermark, state.self()));
        nextStatusAtMillis = state.nowMillis + state.config.statusIntervalMillis();
        statusSentLastExecuted = state.lastExecuted;
    }

    /**
     * Whether f + 1 peers, so at least one correct one, reported having executed more than this
     * replica, by more than the pipeline explains: then this replica is catching up.
     */
    private boolean behindPeers() {
        long[] reported = reportedLastExecuted.clone();
        reported[state.self()] = -1;
        Arrays.sort(reported);
        long ahead = reported[reported.length - 1 - state.config.f()]; // the (f + 1)-th highest
        return ahead - state.lastExecuted > 2L * state.config.maxInFlightBatches();
    }

    private EffectsBuilder begin(long nowMillis) {
        state.nowMillis = Math.max(state.nowMillis, nowMillis);
        return new EffectsBuilder();
    }

    /** What every input ends with: execute what committed, propose what waits, schedule the next tick. */
    private Effects finish(EffectsBuilder effects) {
        executionOrder.dispatchCommitted(effects);
        // Catching up, ask for the next part as soon as half of the last one has executed,
        // rather than at the next status interval (see onStatus).
        if (state.lastExecuted >= statusSentLastExecuted + halfRetransmitLimit() && behindPeers()) {
            broadcastStatus(effects);
        }
        if (state.isPrimary()) {
            while (normalCase.canPropose() && batcher.readyToPropose(inFlightBatches())) {
                normalCase.propose(batcher.takeBatch(), effects);
                executionOrder.dispatchCommitted(effects); // a one-replica cluster commits at once
            }
            if (normalCase.canPropose()) {
                // With the window full only a message (a stable checkpoint) can unblock proposing.
                effects.wakeAt(batcher.wakeAtMillis(inFlightBatches()));
            }
        }
        if (nextStatusAtMillis == 0) {
            nextStatusAtMillis = state.nowMillis + state.config.statusIntervalMillis();
        }
        effects.wakeAt(nextStatusAtMillis);
        return effects.build();
    }

    private long inFlightBatches() {
        return normalCase.highestSequence() - state.lastExecuted;
    }

    public ReplicaConfig config() {
        return state.config;
    }

    public int id() {
        return state.self();
    }

    public long view() {
        return state.view;
    }

    public boolean isPrimary() {
        return state.isPrimary();
    }

    public long lastExecuted() {
        return state.lastExecuted;
    }

    public long lowWatermark() {
        return state.lowWatermark;
    }

    public Rejections rejections() {
        return state.rejections;
    }

    /** Sequence numbers currently held in the message log; never more than {@link #logCapacity()}. */
    public int logSize() {
        return normalCase.logSize();
    }

    /** The window above the low watermark, and the window kept below it for replicas that lag. */
    public int logCapacity() {
        return 2 * state.config.windowSize();
    }

    public int knownClients() {
        return clients.size();
    }
}
