package io.pbft.chaos.sim;

import com.google.protobuf.ByteString;
import io.pbft.chaos.behaviour.Behaviour;
import io.pbft.core.Effects;
import io.pbft.core.Execution;
import io.pbft.core.Replica;
import io.pbft.execution.StateMachineExecutor;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One simulated replica: its protocol core, its own copy of the service behind the shared
 * executor, its behaviour, and what it executed. Holds no logic of its own beyond bookkeeping.
 */
final class SimReplica {

    static final long NO_WAKE = Effects.NO_WAKEUP;

    final int id;
    final Replica core;
    final Behaviour behaviour;
    private final DigestRecordingStateMachine service;
    private final StateMachineExecutor executor;
    private final List<Execution> executed = new ArrayList<>();
    private final SortedMap<Long, ByteString> checkpointDigests = new TreeMap<>();
    /** The time of the earliest wake-up event still queued for this replica, or NO_WAKE. */
    long pendingWakeMillis = NO_WAKE;
    /** Consecutive ticks after which the core asked to be ticked again without time passing. */
    int immediateTicks;

    SimReplica(Replica core, StateMachine service, Behaviour behaviour) {
        this.id = core.id();
        this.core = core;
        this.behaviour = behaviour;
        this.service = new DigestRecordingStateMachine(service);
        this.executor = new StateMachineExecutor(this.service);
    }

    /** Runs the executions in {@code effects} and records them with the digest of each checkpoint. */
    StateMachineExecutor.Drained drain(Effects effects, long nowMillis) {
        StateMachineExecutor.Drained drained = executor.drain(core, effects, nowMillis);
        for (Execution execution : drained.executed()) {
            executed.add(execution);
            if (execution.checkpoint()) {
                ByteString digest = service.pollDigest();
                if (digest == null) {
                    throw new IllegalStateException("executor took no state digest at checkpoint "
                            + execution.sequence());
                }
                checkpointDigests.put(execution.sequence(), digest);
            }
        }
        return drained;
    }

    List<Execution> executed() {
        return executed;
    }

    SortedMap<Long, ByteString> checkpointDigests() {
        return checkpointDigests;
    }
}
