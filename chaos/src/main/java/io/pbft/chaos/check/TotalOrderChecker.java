package io.pbft.chaos.check;

import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Total order: every correct replica executed the same requests at every sequence number it
 * executed, in increasing sequence order, so the correct replicas applied the same operations in
 * the same order. A replica may skip sequence numbers only by installing a checkpoint fetched from
 * its peers (state transfer); what it executes after that must still match, sequence by sequence.
 * (Agreement on batch digests alone cannot see requests that executed in another order within
 * batches split differently.)
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
        Map<Long, List<RequestId>> expected = bySequence(history.executions().get(reference));
        List<Violation> violations = new ArrayList<>();
        for (int replica : history.correctReplicas()) {
            if (replica != reference) {
                violations.addAll(compare(replica, history.executions().get(replica), reference, expected));
            }
        }
        return violations;
    }

    private static List<Violation> compare(int replica, List<Execution> executions, int reference,
            Map<Long, List<RequestId>> expected) {
        long previous = 0;
        for (Execution execution : executions) {
            if (execution.sequence() <= previous) {
                return List.of(new Violation(NAME, "replica " + replica + " executed sequence number "
                        + execution.sequence() + " after " + previous));
            }
            previous = execution.sequence();
            List<RequestId> there = expected.get(execution.sequence());
            List<RequestId> executed = ids(execution);
            if (there != null && !there.equals(executed)) {
                return List.of(new Violation(NAME, "replica " + replica + " executed " + executed
                        + " at sequence number " + execution.sequence() + " but replica " + reference
                        + " executed " + there + " there"));
            }
        }
        return List.of();
    }

    private static Map<Long, List<RequestId>> bySequence(List<Execution> executions) {
        Map<Long, List<RequestId>> bySequence = new TreeMap<>();
        for (Execution execution : executions) {
            bySequence.put(execution.sequence(), ids(execution));
        }
        return bySequence;
    }

    private static List<RequestId> ids(Execution execution) {
        List<RequestId> ids = new ArrayList<>(execution.requests().size());
        for (Request request : execution.requests()) {
            ids.add(RequestId.of(request));
        }
        return ids;
    }
}
