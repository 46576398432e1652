package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.BatchContent;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.Commit;
import io.pbft.core.message.CommittedBatch;
import io.pbft.core.message.FetchBatch;
import io.pbft.core.message.ForwardedRequest;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.SlowPrimaryComplaint;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.Status;
import io.pbft.core.message.ViewChange;
import java.util.List;

/**
 * One replica's protocol core. Feed it inputs, carry out the {@link Effects} each returns:
 *
 * <ul>
 *   <li>{@link #onRequest}: a client request whose authenticator the driver has checked;
 *   <li>{@link #onPrePrepare}: a signed pre-prepare and its batch, saying whether the driver could
 *       authenticate every request in it for this replica;
 *   <li>{@link #onSigned}: any other signed replica message (prepare, checkpoint, view change, new
 *       view), its signature checked by the driver, as are those of every message inside it;
 *   <li>{@link #onMessage}: a replica message the driver authenticated with a MAC;
 *   <li>{@link #onTick}: the driver's clock moved (call it at {@code wakeAtMillis} at the latest);
 *   <li>{@link #onExecuted}: the driver executed the oldest outstanding {@link Execution}.
 * </ul>
 *
 * Not thread-safe: a driver calls it from one thread. Time comes only from the arguments.
 */
public final class Replica {

    private final ReplicaState state;
    private final ClientTable clients = new ClientTable();
    private final StateDigests digests;
    private final Batcher batcher;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final ExecutionOrder executionOrder;
    private final ViewChanges viewChanges;
    private final StatusExchange statusExchange;
    private final Invariants invariants;
    /** The view the batcher was last set up for, and whether the replica was working in it. */
    private long batcherView;
    private boolean batcherActive = true;
    /** Where execution stood when the current input began. */
    private long lastExecutedBefore;
    /** The stable checkpoint the driver was last asked to fetch, or -1. */
    private long fetchRequested = -1;
    /** The stable checkpoint last handed to the driver as a {@link DurableRecord.Stable}. */
    private long stablePersisted;
    /**
     * Read-only requests are answered once this replica has executed up to here: after {@link
     * #recover}, the highest sequence number it pre-prepared, prepared or committed before the
     * crash. A write that completed was committed by 2f + 1 replicas, each of which logged it; a
     * whole cluster restarted at once executes it again only when the replicas' votes meet again,
     * and until then their states are older than the answers they gave. Answering from them, 2f +
     * 1 restarted replicas would agree on a value older than a completed write.
     */
    private long readOnlyFrom;

    /** A replica with the signature variant's certificates. */
    public Replica(ReplicaConfig config, MessageSigner signer, StateDigests digests) {
        this(config, signer, digests, new SignedCertificates(config));
    }

    public Replica(ReplicaConfig config, MessageSigner signer, StateDigests digests, CertificateCheck certificates) {
        this.state = new ReplicaState(config, signer);
        this.digests = digests;
        this.batcher = new Batcher(state);
        this.normalCase = new NormalCase(state);
        this.checkpoints = new Checkpoints(state);
        this.executionOrder = new ExecutionOrder(state, normalCase, checkpoints, clients);
        this.viewChanges = new ViewChanges(state, normalCase, checkpoints, certificates, clients);
        this.statusExchange = new StatusExchange(state, normalCase, checkpoints, viewChanges);
        this.invariants = new Invariants(state, normalCase, executionOrder);
    }

    public Effects onRequest(Request request, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        admit(request, true, effects);
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
            admit(request, true, effects);
        }
        return finish(effects);
    }

    private void admit(Request request, boolean fromClient, EffectsBuilder effects) {
        if (request.readOnly()) {
            answerReadOnly(request, fromClient, effects);
            return;
        }
        ClientTable.Status status = clients.status(request);
        if (status == ClientTable.Status.EXECUTED) {
            viewChanges.forget(request);
            effects.reply(clients.cachedReply(request, state.view, state.self())); // the client missed our reply
        } else if (status == ClientTable.Status.TOO_OLD) {
            state.reject(Rejection.STALE_REQUEST);
        } else if (status == ClientTable.Status.IN_PROGRESS) {
            state.reject(Rejection.REQUEST_IN_PROGRESS);
        } else if (request.sizeBytes() > state.config.maxBatchBytes()) {
            state.reject(Rejection.OVERSIZED_REQUEST);
        } else if (state.active && state.isPrimary()) {
            if (!batcher.add(request)) {
                state.reject(Rejection.REQUEST_IN_PROGRESS);
            }
        } else {
            // Clients send to the primary first and to everyone when it does not answer: a backup
            // that gets a request watches the primary order it, and passes it on in case the
            // client cannot reach the primary.
            viewChanges.await(request);
            if (fromClient && state.active) {
                effects.send(state.primary(), new ForwardedRequest(request, state.self()));
            }
        }
    }

    /**
     * A read-only request is answered at once from the state, after whatever this input executes,
     * and leaves no trace: not in the client table (its timestamp does not advance the client's,
     * and a retransmission is answered afresh), not in the order.
     */
    private void answerReadOnly(Request request, boolean fromClient, EffectsBuilder effects) {
        if (!fromClient) {
            state.reject(Rejection.READ_ONLY_FORWARDED);
        } else if (request.sizeBytes() > state.config.maxBatchBytes()) {
            state.reject(Rejection.OVERSIZED_REQUEST);
        } else if (state.lastExecuted < readOnlyFrom) {
            state.reject(Rejection.READ_ONLY_RECOVERING);
        } else {
            effects.query(new Query(state.view, state.self(), request));
        }
    }

    /** A signed pre-prepare and its batch; {@code requestsAuthenticated} says whether the driver authenticated every request. */
    public Effects onPrePrepare(int from, Signed<PrePrepare> prePrepare, List<Request> batch,
            boolean requestsAuthenticated, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        if (validSender(from, prePrepare.message())) {
            normalCase.onPrePrepare(from, prePrepare, batch, requestsAuthenticated, effects);
        }
        return finish(effects);
    }

    /** A signed replica message; a pre-prepare given here has no batch (right only for the null batch). */
    @SuppressWarnings("unchecked")
    public Effects onSigned(int from, Signed<?> signed, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        ReplicaMessage message = signed.message();
        if (!validSender(from, message)) {
            return finish(effects);
        }
        if (message instanceof PrePrepare) {
            normalCase.onPrePrepare(from, (Signed<PrePrepare>) signed, List.of(), true, effects);
        } else if (message instanceof Prepare) {
            normalCase.onPrepare(from, (Signed<Prepare>) signed, effects);
        } else if (message instanceof Checkpoint) {
            if (checkpoints.onCheckpoint(from, (Signed<Checkpoint>) signed, effects)) {
                normalCase.discardUpTo(state.lowWatermark);
            }
        } else if (message instanceof ViewChange) {
            viewChanges.onViewChange(from, (Signed<ViewChange>) signed, effects);
        } else if (message instanceof NewView) {
            viewChanges.onNewView(from, (Signed<NewView>) signed, effects);
        } else {
            return onMessage(from, message, nowMillis); // signed though a MAC would do: still authentic
        }
        return finish(effects);
    }

    /**
     * A replica message the driver authenticated with a MAC (commit, status, batch fetching,
     * committed batches, forwarded request).
     */
    public Effects onMessage(int from, ReplicaMessage message, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        if (!validSender(from, message)) {
            return finish(effects);
        }
        if (message.entersCertificates()) {
            state.reject(Rejection.MISSING_SIGNATURE);
        } else if (message instanceof Commit commit) {
            normalCase.onCommit(from, commit, effects);
        } else if (message instanceof Status status) {
            statusExchange.onStatus(from, status, effects);
            viewChanges.onStatus(from, status, effects);
        } else if (message instanceof FetchBatch fetch) {
            statusExchange.onFetchBatch(from, fetch, effects);
        } else if (message instanceof BatchContent content) {
            normalCase.onBatchContent(content);
        } else if (message instanceof CommittedBatch committed) {
            normalCase.onCommittedBatch(from, committed);
        } else if (message instanceof SlowPrimaryComplaint complaint) {
            viewChanges.onComplaint(from, complaint, effects);
        } else if (message instanceof ForwardedRequest forwarded) {
            if (state.active && state.isPrimary()) {
                admit(forwarded.request(), false, effects);
            } else {
                state.reject(Rejection.FORWARDED_TO_BACKUP);
            }
        }
        return finish(effects);
    }

    private boolean validSender(int from, ReplicaMessage message) {
        if (from < 0 || from >= state.config.replicaCount()) {
            state.reject(Rejection.UNKNOWN_SENDER);
        } else if (message.replica() != from) {
            state.reject(Rejection.SENDER_MISMATCH);
        } else if (from == state.self()) {
            state.reject(Rejection.FROM_SELF);
        } else {
            viewChanges.heardFrom(from);
            return true;
        }
        return false;
    }

    public Effects onTick(long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        viewChanges.onTick(statusExchange.behindPeers(), effects);
        statusExchange.onTick(effects);
        return finish(effects);
    }

    /**
     * Reports the execution of the oldest outstanding {@link Execution}: one result per request
     * in it, and the state digest after it when it was a checkpoint (otherwise empty).
     */
    public Effects onExecuted(long sequence, List<ByteString> results, ByteString stateDigest, long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        Execution execution = executionOrder.onExecuted(sequence, results, stateDigest, effects);
        long acceptedAtMillis = normalCase.acceptedAtMillis(sequence);
        if (acceptedAtMillis >= 0) {
            viewChanges.onAgreed(state.nowMillis - acceptedAtMillis);
        }
        viewChanges.onExecuted(execution.requests());
        if (execution.checkpoint()) {
            // Nothing beyond the checkpoint was dispatched yet (ExecutionOrder), so the client table is
            // exactly the table as of the checkpoint, which its digest covers.
            clients.evictDownTo(state.config.maxClientSessions());
            ByteString clientTable = clients.encode();
            ByteString checkpointDigest =
                    digests.checkpointDigest(stateDigest, digests.clientTableDigest(clientTable));
            effects.checkpointTaken(new CheckpointTaken(sequence, checkpointDigest, clientTable));
            if (checkpoints.onOwnCheckpoint(sequence, checkpointDigest, effects)) {
                normalCase.discardUpTo(state.lowWatermark);
            }
        }
        normalCase.discardExecutedBelowWindow();
        return finish(effects);
    }

    /**
     * The driver installed, by state transfer, the state of the stable checkpoint {@code sequence}
     * whose certified digest is {@code checkpointDigest}: the service's partitions, checked against
     * it, and {@code clientTable}, the client table's bytes, checked against it too. Execution goes
     * on from the next sequence number. A checkpoint that is no longer the one to reach (a newer one
     * became stable meanwhile) is ignored; the driver is asked for the newer one.
     *
     * @throws IllegalStateException if executions are still outstanding: the driver must finish
     *     and report those before it replaces the state under them
     */
    public Effects onStateInstalled(long sequence, ByteString checkpointDigest, ByteString clientTable,
            long nowMillis) {
        EffectsBuilder effects = begin(nowMillis);
        StableCheckpoint stable = checkpoints.stableCheckpoint();
        boolean repair = checkpoints.diverged() && sequence == fetchRequested;
        if (sequence != stable.sequence() || !checkpointDigest.equals(stable.stateDigest())
                || (sequence <= state.lastExecuted && !repair)) {
            state.reject(Rejection.STALE_STATE);
            return finish(effects);
        }
        clients.replaceWith(clientTable);
        // A repair goes back to the checkpoint: what executed after it, on a wrong state, executes again.
        executionOrder.installed(sequence);
        if (repair) {
            checkpoints.repaired();
            invariants.wentBackTo(sequence);
            effects.event(new ProtocolEvent.StateRepaired(sequence));
        }
        viewChanges.onStateInstalled();
        effects.event(new ProtocolEvent.StateInstalled(sequence));
        return finish(effects);
    }

    /**
     * Restarts a fresh replica from what its driver kept on disk: the state of its own checkpoint
     * {@code sequence} (0 if none: the initial state), whose checkpoint digest was {@code
     * checkpointDigest}, already restored in the service, with the client table's bytes as of then;
     * and the {@link DurableRecord}s the core handed out before, in order. The replica comes back
     * in the view it was in, holding every pre-prepare, prepare, prepared certificate and view
     * change vote it had promised, so it cannot contradict what it sent before; the messages the
     * replay makes again are not sent (they left before the crash, and its peers ask for what they
     * lack). What executed after the checkpoint is executed again, once its peers' votes or state
     * arrive.
     *
     * @throws IllegalStateException if this replica already took an input
     */
    public Effects recover(long sequence, ByteString checkpointDigest, ByteString clientTable,
            List<DurableRecord> records, long nowMillis) {
        if (state.lastExecuted != 0 || state.view != 0 || normalCase.logSize() != 0) {
            throw new IllegalStateException("only a fresh replica recovers");
        }
        EffectsBuilder effects = begin(nowMillis);
        EffectsBuilder replayed = new EffectsBuilder();
        // The promises first, then the snapshot's state: a snapshot taken above the stable checkpoint
        // must not hide what this replica pre-prepared, prepared and certified between the two (a
        // primary would number a new batch there, a view change would lack the certificates).
        new DurableReplay(state, normalCase, checkpoints, viewChanges).replay(records, sequence, replayed);
        if (sequence > 0) {
            clients.replaceWith(clientTable);
            executionOrder.installed(sequence);
        }
        if (!executionOrder.reaches(state.lowWatermark)) {
            // The batches logged below the window lead nowhere: the stable checkpoint's state must
            // come from peers. Kept, they would hold the log past its capacity.
            normalCase.discardUpTo(state.lowWatermark);
        }
        if (sequence > 0 && checkpoints.onOwnCheckpoint(sequence, checkpointDigest, effects)) {
            normalCase.discardUpTo(state.lowWatermark);
        }
        stablePersisted = checkpoints.stableCheckpoint().sequence();
        lastExecutedBefore = state.lastExecuted;
        readOnlyFrom = Math.max(sequence, DurableReplay.highestSequenceVotedOn(records));
        effects.event(new ProtocolEvent.Recovered(state.view, state.active, state.lastExecuted, records.size()));
        return finish(effects);
    }

    private EffectsBuilder begin(long nowMillis) {
        long previousMillis = state.nowMillis;
        state.nowMillis = Math.max(previousMillis, nowMillis);
        // The replica asks to be woken every status interval: a longer silence is a pause of its process.
        if (state.nowMillis - previousMillis > 2 * state.config.statusIntervalMillis()) {
            viewChanges.resumedAfter(state.nowMillis - previousMillis);
        }
        lastExecutedBefore = state.lastExecuted;
        return new EffectsBuilder();
    }

    /** What every input ends with: execute what committed, propose what waits, schedule the next tick. */
    private Effects finish(EffectsBuilder effects) {
        if (state.view != batcherView || state.active != batcherActive) {
            onViewEntered(effects);
        }
        StableCheckpoint stable = checkpoints.stableCheckpoint();
        executionOrder.dispatchCommitted(effects, fetching());
        // A fetch under way moves on to a newer stable checkpoint even if this replica could now
        // reach it by executing: nothing executes until the fetch completes, and peers stop
        // serving the older checkpoint once the newer one is stable.
        if (state.needsState() && stable.sequence() != fetchRequested
                && (fetching() || !executionOrder.reaches(stable.sequence()))) {
            fetchRequested = stable.sequence();
            effects.fetchState(stable);
        } else if (checkpoints.diverged() && stable.sequence() != fetchRequested) {
            // Its own state differs from what 2f + 1 certified: fetch the certified one, even below
            // what it executed, and execute again from there.
            fetchRequested = stable.sequence();
            effects.fetchState(stable);
        }
        if (state.isPrimary()) {
            while (normalCase.canPropose() && batcher.readyToPropose(inFlightBatches())) {
                normalCase.propose(batcher.takeBatch(normalCase.highestSequence() + 1), effects);
                // A one-replica cluster commits at once.
                executionOrder.dispatchCommitted(effects, fetching());
            }
            if (normalCase.canPropose()) {
                // With the window full only a message (a stable checkpoint) can unblock proposing.
                effects.wakeAt(batcher.wakeAtMillis(inFlightBatches()));
            }
        }
        StableCheckpoint stableNow = checkpoints.stableCheckpoint();
        if (stableNow.sequence() > stablePersisted) {
            // The log may now drop what lies below: it keeps the proof, and the record of the view.
            stablePersisted = stableNow.sequence();
            effects.persist(new DurableRecord.Stable(stableNow));
            DurableRecord view = viewChanges.currentViewRecord(stablePersisted);
            if (view != null) {
                effects.persist(view);
            }
        }
        statusExchange.afterInput(effects);
        viewChanges.afterInput(normalCase.highestSequence() > state.lastExecuted,
                state.lastExecuted > lastExecutedBefore, effects);
        if (state.config.checkInvariants()) {
            invariants.check(viewChanges.currentNewView() != null);
        }
        return effects.build();
    }

    /** The view changed in this input: the batcher starts over, and a batch the new view needs is fetched. */
    private void onViewEntered(EffectsBuilder effects) {
        batcherView = state.view;
        batcherActive = state.active;
        batcher.startView(state.active ? normalCase.carriedOverRequests() : List.of());
        if (state.active) {
            statusExchange.requestMissingBatches(effects);
        }
        if (state.active && state.isPrimary()) {
            // What this replica waited for as a backup, it can order now, before clients retransmit.
            for (Request request : viewChanges.takeAwaited()) {
                admit(request, false, effects);
            }
        }
    }

    /**
     * Whether the driver is fetching a stable checkpoint's state (asked for, not yet installed):
     * nothing may execute meanwhile, and a newer checkpoint is fetched instead, not executed to.
     */
    private boolean fetching() {
        return fetchRequested > state.lastExecuted || checkpoints.diverged();
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

    /** Whether this replica works in {@link #view()}; false while it changes view. */
    public boolean isActive() {
        return state.active;
    }

    public int primary() {
        return state.primary();
    }

    public boolean isPrimary() {
        return state.isPrimary();
    }

    public long lastExecuted() {
        return state.lastExecuted;
    }

    /**
     * The highest sequence number this replica assigned as primary, or accepted as backup, in this
     * view: above {@link #lastExecuted()}, work waits to execute.
     */
    public long highestSequence() {
        return normalCase.highestSequence();
    }

    public long lowWatermark() {
        return state.lowWatermark;
    }

    /** The last stable checkpoint this replica holds the proof of. */
    public StableCheckpoint stableCheckpoint() {
        return checkpoints.stableCheckpoint();
    }

    /** Whether a quorum certified a checkpoint above what this replica executed: it needs their state. */
    public boolean needsState() {
        return state.needsState();
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

    /**
     * How many more requests of {@code clientId} this replica would take now: less than
     * {@link ReplicaConfig#CLIENT_WINDOW} only on a primary holding that client's requests not yet
     * proposed or, while other clients' requests wait or are in flight, proposed and not yet
     * executed. The driver reads a client no faster than this allows.
     */
    public int roomFor(long clientId) {
        return batcher.roomFor(clientId);
    }

    /**
     * Whether this replica, as primary, holds requests of a client other than {@code clientId}
     * waiting for a sequence number or proposed and not yet executed; a read, like {@link #roomFor}.
     */
    public boolean servesOthersThan(long clientId) {
        return batcher.servesOthersThan(clientId);
    }
}
