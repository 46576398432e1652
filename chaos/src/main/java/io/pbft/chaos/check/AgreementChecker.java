package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Agreement: no two correct replicas executed different batches (by batch digest) at the same
 * sequence number, and each correct replica executed sequence numbers in increasing order, each once
 * per incarnation. A replica restarted from its disk executes again what it executed after its
 * snapshot: the same batches, or it contradicts itself.
 */
public final class AgreementChecker implements Checker {

    public static final String NAME = "Agreement";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        List<Violation> violations = new ArrayList<>();
        Map<Long, Witness> firstBySequence = new TreeMap<>();
        for (int replica : history.correctReplicas()) {
            for (RunHistory.Incarnation incarnation : history.incarnations().get(replica)) {
                long previous = 0;
                for (Execution execution : incarnation.executions()) {
                    if (execution.sequence() <= previous) {
                        violations.add(new Violation(NAME, "replica " + replica + " executed sequence number "
                                + execution.sequence() + " after " + previous));
                    }
                    previous = Math.max(previous, execution.sequence());
                    Witness first = firstBySequence.putIfAbsent(
                            execution.sequence(), new Witness(replica, execution.batchDigest()));
                    if (first != null && !first.digest.equals(execution.batchDigest())) {
                        violations.add(conflict(execution.sequence(), first.replica, first.digest,
                                replica, execution.batchDigest()));
                    }
                }
            }
        }
        return violations;
    }

    static Violation conflict(long sequence, int replicaA, ByteString digestA, int replicaB, ByteString digestB) {
        if (replicaA == replicaB) {
            return new Violation(NAME, "at sequence number " + sequence + " replica " + replicaA
                    + " executed batch " + Hex.shortDigest(digestA) + " and, after a restart, batch "
                    + Hex.shortDigest(digestB));
        }
        return new Violation(NAME, "at sequence number " + sequence + " replica " + replicaA
                + " executed batch " + Hex.shortDigest(digestA) + " but replica " + replicaB
                + " executed batch " + Hex.shortDigest(digestB));
    }

    private record Witness(int replica, ByteString digest) {}
}
