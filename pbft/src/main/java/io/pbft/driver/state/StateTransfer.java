package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.Effects;
import io.pbft.core.StateDigests;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.StateCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One replica's state transfer, between its core and its peers, for the node and the simulator
 * alike: it freezes the service's state at every checkpoint the replica executes and serves it
 * ({@link StateServer}) until a later checkpoint is stable, and fetches a stable checkpoint the
 * core asks for ({@link StateFetcher}), for the driver to report with {@code
 * Replica.onStateInstalled}. Deterministic; called from one thread, which for {@link
 * #checkpointExecuted} must be the one that executes, right after the checkpoint's execution.
 */
public final class StateTransfer {

    private final PartitionedStateMachine service;
    private final StateServer server;
    private final StateFetcher fetcher;
    /** Frozen at execution, waiting for the core's client table of the same checkpoint. */
    private final NavigableMap<Long, StateCheckpoint> frozen = new TreeMap<>();
    private long lastHandedOut = -1;
    /** What the fetches before the current one cost: the fetcher counts only from its last start. */
    private FetchStats earlierFetches = FetchStats.NONE;
    /** The low watermark below which checkpoints were last discarded: it moves once per checkpoint, not per input. */
    private long discardedBelow = -1;

    public StateTransfer(int self, int replicaCount, PartitionedStateMachine service, StateDigests digests,
            StateTransferLimits limits) {
        this.service = service;
        this.server = new StateServer(self, digests, limits);
        this.fetcher = new StateFetcher(self, replicaCount, service, digests, limits);
    }

    /** The replica executed checkpoint {@code sequence} and took the service's digest: freeze the state now. */
    public void checkpointExecuted(long sequence) {
        frozen.put(sequence, service.checkpoint());
    }

    /**
     * The service holds the state of checkpoint {@code sequence} without having executed up to it
     * here: restored from this replica's snapshot at a restart, or fetched from peers. Serve it as
     * if just executed: it may be the stable checkpoint that a peer behind must fetch, and after a
     * whole cluster restarted, the replicas that restored it may hold it nowhere else (they
     * execute on from it without taking it again).
     */
    public void restored(long sequence, ByteString clientTable) {
        server.keep(frozen(sequence, clientTable));
    }

    /**
     * The service's state now, as checkpoint {@code sequence} with {@code clientTable}, for a caller
     * that reads it and closes it: a store that snapshots a state installed from peers.
     */
    public ServedCheckpoint frozen(long sequence, ByteString clientTable) {
        return new FrozenCheckpoint(sequence, service.checkpoint(), clientTable);
    }

    /**
     * What the core's effects ask of state transfer: serve the checkpoints it took, stop serving those
     * below its stable checkpoint, and fetch the stable checkpoint it cannot reach by executing.
     *
     * @return the requests to send to peers
     */
    public List<StateFetcher.Outgoing> onEffects(Effects effects, long lowWatermark, long nowMillis) {
        for (CheckpointTaken taken : effects.checkpointsTaken()) {
            StateCheckpoint view = frozen.remove(taken.sequence());
            if (view != null) {
                server.keep(new FrozenCheckpoint(taken.sequence(), view, taken.clientTable()));
            }
        }
        if (lowWatermark != discardedBelow) {
            discardedBelow = lowWatermark;
            // A frozen view the core took no checkpoint for (none is expected) must not pin memory.
            NavigableMap<Long, StateCheckpoint> orphans = frozen.headMap(lowWatermark, true);
            orphans.values().forEach(StateCheckpoint::close);
            orphans.clear();
            server.discardBelow(lowWatermark);
        }
        if (effects.stateToFetch().isEmpty()) {
            return List.of();
        }
        List<StateFetcher.Outgoing> requests = new ArrayList<>();
        for (StableCheckpoint target : effects.stateToFetch()) {
            OptionalLong fetching = fetcher.fetching();
            if (fetching.isEmpty()) {
                earlierFetches = fetchedTotal();
                requests.addAll(fetcher.start(target.sequence(), target.stateDigest(), nowMillis));
            } else if (target.sequence() > fetching.getAsLong()) {
                requests.addAll(fetcher.retarget(target.sequence(), target.stateDigest(), nowMillis));
            }
        }
        return requests;
    }

    /** The checkpoint this replica keeps for {@code sequence}, if any, to read on this thread. */
    public Optional<ServedCheckpoint> kept(long sequence) {
        return server.kept(sequence);
    }

    /** A peer asks for part of a checkpoint this replica may keep; the answer to send back, if any. */
    public Optional<StateChunk> onFetch(int from, FetchState fetch) {
        return server.onFetch(from, fetch);
    }

    /** A peer answered; the requests to send next. */
    public List<StateFetcher.Outgoing> onChunk(int from, StateChunk chunk, long nowMillis) {
        return fetcher.onChunk(from, chunk, nowMillis);
    }

    /** The clock moved: requests past their deadline go to other peers. */
    public List<StateFetcher.Outgoing> onTick(long nowMillis) {
        return fetcher.onTick(nowMillis);
    }

    /** When {@link #onTick} next has something to do, if ever. */
    public OptionalLong nextDeadlineMillis() {
        return fetcher.nextDeadlineMillis();
    }

    /** What every fetch since this replica started cost, the one under way included: for its metrics. */
    public FetchStats fetchedTotal() {
        return earlierFetches.plus(fetcher.stats());
    }

    /** The fetched state, once installed in the service, for the core; each is handed out once. */
    public Optional<StateFetcher.Installed> takeCompleted() {
        Optional<StateFetcher.Installed> completed = fetcher.completed();
        if (completed.isEmpty() || completed.get().sequence() == lastHandedOut) {
            return Optional.empty();
        }
        lastHandedOut = completed.get().sequence();
        return completed;
    }
}
