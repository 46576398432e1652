package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoint agreement: correct replicas that executed up to the same checkpoint sequence number
 * hold states with the same digest. This catches a nondeterministic or diverged state machine
 * even when every replica executed the same batches.
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
        Map<Long, Integer> firstReplica = new TreeMap<>();
        for (int replica : history.correctReplicas()) {
            for (Map.Entry<Long, ByteString> checkpoint : history.checkpointDigests().get(replica).entrySet()) {
                long sequence = checkpoint.getKey();
                Integer first = firstReplica.putIfAbsent(sequence, replica);
                if (first == null) {
                    continue;
                }
                ByteString expected = history.checkpointDigests().get(first).get(sequence);
                if (!expected.equals(checkpoint.getValue())) {
                    violations.add(new Violation(NAME, "after sequence number " + sequence + " replica " + first
                            + " had state digest " + Hex.shortDigest(expected) + " but replica " + replica
                            + " had " + Hex.shortDigest(checkpoint.getValue())));
                }
            }
        }
        return violations;
    }
}
