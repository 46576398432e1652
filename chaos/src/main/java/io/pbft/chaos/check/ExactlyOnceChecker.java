package io.pbft.chaos.check;

import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validity and exactly-once: a correct replica executes only requests a client sent, with the
 * operation the client sent, and each of them at most once. A replica restarted from its disk
 * executes again what it executed after its snapshot, at the same sequence numbers: that repeats
 * nothing in its state, which the restart rolled back to the snapshot. A request it executes again
 * at another sequence number is executed twice.
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
            Map<RequestId, Long> executedBefore = new TreeMap<>();
            for (RunHistory.Incarnation incarnation : history.incarnations().get(replica)) {
                Map<RequestId, Long> executedAt = new TreeMap<>();
                for (Execution execution : incarnation.executions()) {
                    for (Request request : execution.requests()) {
                        check(history, replica, execution.sequence(), request, executedAt, executedBefore,
                                violations);
                    }
                }
                executedBefore.putAll(executedAt);
            }
        }
        return violations;
    }

    private static void check(RunHistory history, int replica, long sequence, Request request,
            Map<RequestId, Long> executedAt, Map<RequestId, Long> executedBefore, List<Violation> violations) {
        RequestId id = RequestId.of(request);
        Long earlier = executedAt.putIfAbsent(id, sequence);
        Long beforeRestart = executedBefore.get(id);
        if (earlier == null && beforeRestart != null && beforeRestart != sequence) {
            violations.add(new Violation(NAME, "replica " + replica + " executed request " + id
                    + " at sequence number " + beforeRestart + " and, after a restart, again at " + sequence));
        }
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
