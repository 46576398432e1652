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
    private final StatusExchange statusExchange;

    public Replica(ReplicaConfig config) {
        this.state = new ReplicaState(config);
        this.batcher = new Batcher(state);
        this.normalCase = new NormalCase(state);
        this.checkpoints = new Checkpoints(state);
        this.executionOrder = new ExecutionOrder(state, normalCase, checkpoints, clients);
        this.statusExchange = new StatusExchange(state, normalCase, checkpoints);
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
            statusExchange.onStatus(from, status, effects);
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
        statusExchange.onTick(effects);
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

    private EffectsBuilder begin(long nowMillis) {
        state.nowMillis = Math.max(state.nowMillis, nowMillis);
        return new EffectsBuilder();
    }

    /** What every input ends with: execute what committed, propose what waits, schedule the next tick. */
    private Effects finish(EffectsBuilder effects) {
        executionOrder.dispatchCommitted(effects);
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
        statusExchange.afterInput(effects);
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
