package io.pbft.chaos.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Liveness: every client completed every request it planned before the run's deadline. A client
 * that did not names its outstanding request, so the reader knows where to look.
 */
public final class LivenessChecker implements Checker {

    public static final String NAME = "Liveness";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        List<Violation> violations = new ArrayList<>();
        for (ClientHistory client : history.clients()) {
            long completed = client.completedCount();
            boolean late = client.operations().stream()
                    .anyMatch(op -> op.completed() && op.returnMillis() > history.deadlineMillis());
            if (completed == client.requestsPlanned() && !late) {
                continue;
            }
            StringBuilder message = new StringBuilder()
                    .append("client ").append(client.clientId()).append(" completed ").append(completed)
                    .append(" of ").append(client.requestsPlanned()).append(" requests by ")
                    .append(history.endMillis()).append(" ms (deadline ").append(history.deadlineMillis())
                    .append(" ms)");
            client.operations().stream()
                    .filter(op -> !op.completed() || op.returnMillis() > history.deadlineMillis())
                    .findFirst()
                    .ifPresent(op -> message.append("; stuck at ").append(op));
            if (violations.isEmpty()) {
                message.append("; replicas executed up to ").append(progress(history));
            }
            violations.add(new Violation(NAME, message.toString()));
        }
        return violations;
    }

    /** The last sequence number each replica executed: shows who fell behind. */
    private static List<Long> progress(RunHistory history) {
        List<Long> lastExecuted = new ArrayList<>();
        for (int replica = 0; replica < history.replicaCount(); replica++) {
            lastExecuted.add(history.lastExecuted(replica));
        }
        return lastExecuted;
    }
}
