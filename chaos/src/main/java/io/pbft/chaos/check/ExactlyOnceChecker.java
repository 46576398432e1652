package io.pbft.chaos.check;

import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validity and exactly-once: a correct replica executes only requests a client sent, with the
 * operation the client sent, and each of them at most once.
 */
public final class ExactlyOnceChecker implements Checker {

    public static final String NAME = "ExactlyOnce";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        List<Violation> violations = new ArrayList<>();
        for (int replica : history.correctReplicas()) {
            Map<RequestId, Long> executedAt = new TreeMap<>();
            for (Execution execution : history.executions().get(replica)) {
                for (Request request : execution.requests()) {
                    check(history, replica, execution.sequence(), request, executedAt, violations);
                }
            }
        }
        return violations;
    }

    private static void check(RunHistory history, int replica, long sequence, Request request,
            Map<RequestId, Long> executedAt, List<Violation> violations) {
        RequestId id = RequestId.of(request);
        Long earlier = executedAt.putIfAbsent(id, sequence);
        if (earlier != null) {
            violations.add(new Violation(NAME, "replica " + replica + " executed request " + id
                    + " twice: at sequence numbers " + earlier + " and " + sequence));
        }
        Request sent = history.sentRequests().get(id);
        if (sent == null) {
            violations.add(new Violation(NAME, "replica " + replica + " executed request " + id
                    + " at sequence number " + sequence + " but no client sent it"));
        } else if (!sent.digest().equals(request.digest())) {
            violations.add(new Violation(NAME, "replica " + replica + " executed request " + id
                    + " at sequence number " + sequence + " with content other than what its client sent"));
        }
    }
}
