package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cheap checks run while a simulation runs, after every step, so a run stops at the step that
 * broke safety instead of at its end: agreement on batch digests per sequence number, checkpoint
 * digests, exactly-once per replica, that no replica contradicts what it sent before ({@link
 * EquivocationMonitor}), and the bounds a replica's core must keep. The full checkers still judge
 * the whole history afterwards.
 *
 * <p>A replica may crash and restart ({@link #onRestart}): it then executes again, from its
 * snapshot, sequence numbers it executed before, and must execute the same batches there, reach the
 * same state digests, and send nothing that contradicts what it sent before the crash.
 */
public final class SafetyMonitor {

    /** The name of the check that no correct replica is ever proven to equivocate. */
    public static final String EVIDENCE = "Evidence";

    private final Set<Integer> correctReplicas;
    private final NavigableMap<Long, Witness> batchBySequence = new TreeMap<>();
    private final NavigableMap<Long, Witness> stateBySequence = new TreeMap<>();
    /** Per replica, the sequence number each request executed at, over all its incarnations. */
    private final List<Map<RequestId, Long>> executedAt = new ArrayList<>();
    /** Per replica, the requests its current incarnation executed. */
    private final List<Set<RequestId>> executedByIncarnation = new ArrayList<>();
    private final long[] lastSequence;
    private final EquivocationMonitor equivocation = new EquivocationMonitor();
    private final List<Violation> violations = new ArrayList<>();

    public SafetyMonitor(int replicaCount, Set<Integer> correctReplicas) {
        this.correctReplicas = Set.copyOf(correctReplicas);
        this.lastSequence = new long[replicaCount];
        for (int i = 0; i < replicaCount; i++) {
            executedAt.add(new TreeMap<>());
            executedByIncarnation.add(new TreeSet<>());
        }
    }

    /**
     * Replica {@code replica} restarted from its disk: it starts executing again from its snapshot,
     * below what it executed before.
     */
    public void onRestart(int replica) {
        lastSequence[replica] = 0;
        executedByIncarnation.get(replica).clear();
    }

    /**
     * Replica {@code holder} kept a proof that {@code accused} signed two conflicting messages. A
     * correct replica never does, so a correct holder's proof against a correct replica means a
     * forged proof or a correct replica that contradicted itself: either is a violation.
     */
    public void onProof(int holder, int accused, String description) {
        if (correctReplicas.contains(holder) && correctReplicas.contains(accused)) {
            fail(EVIDENCE, "replica " + holder + " holds a proof against correct replica " + accused + ": "
                    + description);
        }
    }

    /** A correct replica sent {@code message} (its own, or a peer's it relays). */
    public void onSent(int replica, ReplicaMessage message) {
        if (correctReplicas.contains(replica) && correctReplicas.contains(message.replica())) {
            equivocation.onSent(message).ifPresent(violations::add);
        }
    }

    /** A replica carried out {@code execution}. */
    public void onExecuted(int replica, Execution execution) {
        if (!correctReplicas.contains(replica)) {
            return;
        }
        if (execution.sequence() <= lastSequence[replica]) {
            fail(AgreementChecker.NAME, "replica " + replica + " executed sequence number " + execution.sequence()
                    + " after " + lastSequence[replica]);
        }
        lastSequence[replica] = Math.max(lastSequence[replica], execution.sequence());
        Witness first =
                batchBySequence.putIfAbsent(execution.sequence(), new Witness(replica, execution.batchDigest()));
        if (first != null && !first.digest.equals(execution.batchDigest())) {
            violations.add(AgreementChecker.conflict(
                    execution.sequence(), first.replica, first.digest, replica, execution.batchDigest()));
        }
        for (Request request : execution.requests()) {
            RequestId id = RequestId.of(request);
            Long earlier = executedAt.get(replica).putIfAbsent(id, execution.sequence());
            // Again at the same sequence number after a restart is a re-execution from the snapshot.
            if (!executedByIncarnation.get(replica).add(id) || (earlier != null && earlier != execution.sequence())) {
                fail(ExactlyOnceChecker.NAME, "replica " + replica + " executed request " + id
                        + " a second time, at sequence number " + execution.sequence());
            }
        }
    }

    /** A replica's state machine had digest {@code stateDigest} after executing up to {@code sequence}. */
    public void onCheckpoint(int replica, long sequence, ByteString stateDigest) {
        if (!correctReplicas.contains(replica)) {
            return;
        }
        Witness first = stateBySequence.putIfAbsent(sequence, new Witness(replica, stateDigest));
        if (first != null && !first.digest.equals(stateDigest)) {
            fail(CheckpointAgreementChecker.NAME, "after sequence number " + sequence + " replica " + first.replica
                    + " had state digest " + Hex.shortDigest(first.digest) + " but replica " + replica + " had "
                    + Hex.shortDigest(stateDigest));
        }
    }

    /**
     * The bounds of a replica's core after a step: the log holds at most its capacity, what it
     * executed never goes back, and a low watermark above what it executed (a checkpoint a quorum
     * certified before this replica got there) is one a correct replica has actually reached: 2f + 1
     * signatures include f + 1 correct replicas, which executed it before they signed.
     */
    public void onStep(int replica, long lastExecuted, long lowWatermark, int logSize, int logCapacity,
            long previousLastExecuted) {
        if (!correctReplicas.contains(replica)) {
            return;
        }
        if (logSize > logCapacity) {
            fail("Bounds", "replica " + replica + " holds " + logSize + " slots, more than its capacity of "
                    + logCapacity);
        }
        if (lowWatermark > lastExecuted && !stateBySequence.containsKey(lowWatermark)) {
            fail("Bounds", "replica " + replica + " has low watermark " + lowWatermark
                    + " above its last executed sequence number " + lastExecuted
                    + ", a checkpoint no correct replica has reached");
        }
        if (lastExecuted < previousLastExecuted) {
            fail("Bounds", "replica " + replica + " went back from last executed " + previousLastExecuted
                    + " to " + lastExecuted);
        }
    }

    /** A violation found by the driver itself, such as the core throwing on an input. */
    public void fail(String checker, String message) {
        violations.add(new Violation(checker, message));
    }

    public boolean violated() {
        return !violations.isEmpty();
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    private record Witness(int replica, ByteString digest) {}
}
