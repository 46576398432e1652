package io.pbft.chaos.check;

import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Total order: every correct replica executed the same requests at every sequence number it
 * executed, in increasing sequence order, so the correct replicas applied the same operations in
 * the same order. A replica may skip sequence numbers only by installing a checkpoint fetched from
 * its peers (state transfer); what it executes after that must still match, sequence by sequence.
 * A replica restarted from its disk starts over from its snapshot, and is held to the same order.
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
        SortedMap<Long, RunHistory.Executed> reference = history.firstExecutions();
        List<Violation> violations = new ArrayList<>();
        for (int replica : history.correctReplicas()) {
            for (RunHistory.Incarnation incarnation : history.incarnations().get(replica)) {
                violations.addAll(compare(replica, incarnation.executions(), reference));
            }
        }
        return violations;
    }

    private static List<Violation> compare(int replica, List<Execution> executions,
            SortedMap<Long, RunHistory.Executed> reference) {
        long previous = 0;
        for (Execution execution : executions) {
            if (execution.sequence() <= previous) {
                return List.of(new Violation(NAME, "replica " + replica + " executed sequence number "
                        + execution.sequence() + " after " + previous));
            }
            previous = execution.sequence();
            RunHistory.Executed first = reference.get(execution.sequence());
            List<RequestId> there = ids(first.execution());
            List<RequestId> executed = ids(execution);
            if (!there.equals(executed)) {
                return List.of(new Violation(NAME, "replica " + replica + " executed " + executed
                        + " at sequence number " + execution.sequence() + " but replica " + first.replica()
                        + " executed " + there + " there"));
            }
        }
        return List.of();
    }

    private static List<RequestId> ids(Execution execution) {
        List<RequestId> ids = new ArrayList<>(execution.requests().size());
        for (Request request : execution.requests()) {
            ids.add(RequestId.of(request));
        }
        return ids;
    }
}
