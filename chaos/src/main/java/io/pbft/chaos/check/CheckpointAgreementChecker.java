package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoint agreement: correct replicas that executed up to the same checkpoint sequence number
 * hold states with the same digest, and so does a replica that reached it again after a restart.
 * This catches a nondeterministic or diverged state machine even when every replica executed the
 * same batches, and a snapshot restored wrong.
 */
public final class CheckpointAgreementChecker implements Checker {

    public static final String NAME = "CheckpointAgreement";

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
                for (Map.Entry<Long, ByteString> checkpoint : incarnation.checkpointDigests().entrySet()) {
                    long sequence = checkpoint.getKey();
                    Witness first = firstBySequence.putIfAbsent(sequence, new Witness(replica, checkpoint.getValue()));
                    if (first != null && !first.digest.equals(checkpoint.getValue())) {
                        violations.add(new Violation(NAME, "after sequence number " + sequence + " replica "
                                + first.replica + " had state digest " + Hex.shortDigest(first.digest) + " but replica "
                                + replica + (first.replica == replica ? ", after a restart," : "") + " had "
                                + Hex.shortDigest(checkpoint.getValue())));
                    }
                }
            }
        }
        return violations;
    }

    private record Witness(int replica, ByteString digest) {}
}
