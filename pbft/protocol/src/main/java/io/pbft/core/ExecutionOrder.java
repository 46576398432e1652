package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands committed batches to the driver strictly in sequence order, filters out requests already
 * executed, and turns reported results into replies and checkpoints.
 */
final class ExecutionOrder {

    private final ReplicaState state;
    private final NormalCase normalCase;
    private final Checkpoints checkpoints;
    private final ClientTable clients;
    private final ArrayDeque<Execution> awaitingResults = new ArrayDeque<>();
    private long lastDispatched;

    ExecutionOrder(ReplicaState state, NormalCase normalCase, Checkpoints checkpoints, ClientTable clients) {
        this.state = state;
        this.normalCase = normalCase;
        this.checkpoints = checkpoints;
        this.clients = clients;
    }

    /**
     * Emits an execution for every committed slot that directly follows the last one emitted, but
     * none beyond a checkpoint whose execution is outstanding: the client table must be the table
     * as of the checkpoint when its execution is reported, since the checkpoint digest covers it.
     * And none while this replica fetches its peers' state ({@code fetching}, also when its own state
     * diverged): the driver is installing partitions of a stable checkpoint into the service, which
     * executing meanwhile would corrupt. A replica behind a stable checkpoint that it has not asked for executes if it holds
     * every batch up to it.
     */
    void dispatchCommitted(EffectsBuilder effects, boolean fetching) {
        if (fetching || (state.needsState() && !reaches(state.lowWatermark))) {
            return;
        }
        Slot slot;
        while ((awaitingResults.isEmpty() || !awaitingResults.peekLast().checkpoint())
                && (slot = normalCase.committed(lastDispatched + 1)) != null) {
            List<Request> batch = slot.batchFor(slot.committedDigest);
            List<Request> toRun = new ArrayList<>(batch.size());
            for (Request request : batch) {
                if (clients.markOrdered(request, slot.sequence)) {
                    toRun.add(request);
                }
            }
            long timestampMillis = slot.timestampFor(slot.committedDigest);
            Execution execution = new Execution(slot.sequence, slot.committedDigest, toRun,
                    checkpoints.isCheckpoint(slot.sequence), timestampMillis);
            lastDispatched = slot.sequence;
            effects.persist(new DurableRecord.Committed(slot.sequence, slot.committedDigest, batch, timestampMillis));
            awaitingResults.add(execution);
            effects.execute(execution);
        }
    }

    /**
     * The driver executed the oldest outstanding execution. A report out of order or with the
     * wrong number of results is a bug in the driver, never a peer's doing, so it throws.
     *
     * @return the execution reported
     */
    Execution onExecuted(long sequence, List<ByteString> results, ByteString stateDigest, EffectsBuilder effects) {
        Execution execution = awaitingResults.peek();
        if (execution == null || execution.sequence() != sequence) {
            throw new IllegalStateException("executed " + sequence + " but the next outstanding execution is "
                    + (execution == null ? "none" : execution.sequence()));
        }
        if (results.size() != execution.requests().size()) {
            throw new IllegalStateException("execution of " + sequence + " has " + execution.requests().size()
                    + " requests but " + results.size() + " results");
        }
        awaitingResults.poll();
        state.lastExecuted = sequence;
        for (int i = 0; i < results.size(); i++) {
            Request request = execution.requests().get(i);
            Reply reply = new Reply(state.view, request.clientId(), request.timestamp(), state.self(), results.get(i));
            clients.recordReply(reply);
            effects.reply(reply);
        }
        if (execution.checkpoint() && (stateDigest == null || stateDigest.isEmpty())) {
            throw new IllegalStateException("execution of checkpoint " + sequence + " reported no state digest");
        }
        return execution;
    }

    /**
     * Whether every slot from the next to dispatch up to {@code sequence} is committed here with its
     * batch: then this replica reaches that stable checkpoint by executing, without its peers' state
     * (a replica restarted from its snapshot and log, a cluster restarted whole).
     */
    boolean reaches(long sequence) {
        for (long next = lastDispatched + 1; next <= sequence; next++) {
            if (normalCase.committed(next) == null) {
                return false;
            }
        }
        return true;
    }

    /** The state of checkpoint {@code sequence} was installed: execution goes on after it. */
    void installed(long sequence) {
        if (!awaitingResults.isEmpty()) {
            throw new IllegalStateException("state of checkpoint " + sequence + " installed while execution of "
                    + awaitingResults.peek().sequence() + " is outstanding");
        }
        state.lastExecuted = sequence;
        lastDispatched = sequence;
    }

    long lastDispatched() {
        return lastDispatched;
    }
}
