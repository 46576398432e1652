package io.pbft.chaos.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Total order: the sequences of requests the correct replicas executed are prefixes of each
 * other, so every correct replica applied the same operations in the same order.
 */
public final class TotalOrderChecker implements Checker {

    public static final String NAME = "TotalOrder";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        int reference = history.longestCorrectReplica();
        if (reference < 0) {
            return List.of();
        }
        List<RequestId> longest = history.executedRequests(reference);
        List<Violation> violations = new ArrayList<>();
        for (int replica : history.correctReplicas()) {
            if (replica == reference) {
                continue;
            }
            List<RequestId> order = history.executedRequests(replica);
            for (int i = 0; i < order.size(); i++) {
                if (!order.get(i).equals(longest.get(i))) {
                    violations.add(new Violation(NAME, "replica " + replica + " executed " + order.get(i)
                            + " as its request #" + (i + 1) + " but replica " + reference + " executed "
                            + longest.get(i) + " there"));
                    break;
                }
            }
        }
        return violations;
    }
}
