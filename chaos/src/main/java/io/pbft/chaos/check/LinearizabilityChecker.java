package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Linearizability of what clients observed, checked against a witness: the order in which the
 * correct replicas executed the requests, sequence number by sequence number (a replica that
 * installed a checkpoint by state transfer skipped some; another executed them). Total order makes
 * that the one order every correct replica applied, so the history is linearizable if
 *
 * <ul>
 *   <li>every result a client accepted is the result a fresh copy of the service (the sequential
 *       model) gives when it runs the witness order, and
 *   <li>the witness respects real time: an operation that returned before another was called is
 *       ordered before it.
 * </ul>
 *
 * The check is sound without search because correct replicas commit to one order: a result that
 * does not match it cannot have come from f + 1 replicas of which one is correct.
 *
 * <p>A read-only operation is in no order: it is linearizable if it can be placed between two
 * requests of the witness (after the first k), so that the service's {@code query} on the state
 * those k leave gives its result, after every operation that returned before it was called and
 * before every operation called after it returned, read-only ones included. Placing each, in call
 * order, at the earliest such k leaves the most room to the reads after it, so a history that
 * fails this way has no linearization.
 */
public final class LinearizabilityChecker implements Checker {

    public static final String NAME = "Linearizability";

    private final Supplier<? extends StateMachine> model;

    /** {@code model} makes a fresh, empty instance of the replicated service. */
    public LinearizabilityChecker(Supplier<? extends StateMachine> model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        List<Execution> witness = history.agreedExecutions();
        if (history.correctReplicas().isEmpty()) {
            return List.of();
        }
        Map<RequestId, Integer> position = new TreeMap<>();
        Map<RequestId, ByteString> expected = replay(witness, position);
        List<Violation> violations = new ArrayList<>();
        List<ClientOperation> completed = new ArrayList<>();
        List<ClientOperation> readOnly = new ArrayList<>();
        for (ClientHistory client : history.clients()) {
            for (ClientOperation op : client.operations()) {
                if (!op.completed()) {
                    continue;
                }
                if (op.readOnly()) {
                    readOnly.add(op);
                    continue;
                }
                ByteString result = expected.get(op.id());
                if (result == null) {
                    violations.add(new Violation(NAME, "client accepted a result for " + op
                            + " but no correct replica executed it"));
                } else if (!result.equals(op.result())) {
                    violations.add(new Violation(NAME, "client accepted result " + Hex.shortDigest(op.result())
                            + " for " + op + " but executing the correct replicas' order gives "
                            + Hex.shortDigest(result)));
                } else {
                    completed.add(op);
                }
            }
        }
        checkRealTime(completed, position, violations);
        if (!readOnly.isEmpty()) {
            List<ClientOperation> ordered = new ArrayList<>();
            history.clients().forEach(client -> ordered.addAll(client.operations()));
            ordered.removeIf(op -> op.readOnly() || !position.containsKey(op.id()));
            violations.addAll(new ReadOnlyPlacement(witness, position, ordered, model).place(readOnly));
        }
        return violations;
    }

    private Map<RequestId, ByteString> replay(List<Execution> executions, Map<RequestId, Integer> position) {
        StateMachine service = model.get();
        Map<RequestId, ByteString> results = new TreeMap<>();
        for (Execution execution : executions) {
            for (Request request : execution.requests()) {
                RequestId id = RequestId.of(request);
                position.putIfAbsent(id, position.size());
                // With the context the replicas gave: the agreed time and sequence number are the witness's too.
                RequestContext context =
                        new RequestContext(request.clientId(), execution.sequence(), execution.timestampMillis());
                // A request marked read-only that a faulty primary ordered runs as a query, as on the replicas.
                byte[] result = request.readOnly()
                        ? service.query(request.operation().toByteArray())
                        : service.execute(request.operation().toByteArray(), context);
                results.putIfAbsent(id, ByteString.copyFrom(result));
            }
        }
        return results;
    }

    /** Sweeps calls in time order, tracking the latest-ordered operation that had already returned. */
    private static void checkRealTime(List<ClientOperation> ops, Map<RequestId, Integer> position,
            List<Violation> violations) {
        List<ClientOperation> byReturn = new ArrayList<>(ops);
        byReturn.sort(Comparator.comparingLong(ClientOperation::returnMillis));
        List<ClientOperation> byCall = new ArrayList<>(ops);
        byCall.sort(Comparator.comparingLong(ClientOperation::callMillis));
        int returned = 0;
        ClientOperation latestReturned = null;
        for (ClientOperation op : byCall) {
            while (returned < byReturn.size() && byReturn.get(returned).returnMillis() < op.callMillis()) {
                ClientOperation candidate = byReturn.get(returned++);
                if (latestReturned == null || position.get(candidate.id()) > position.get(latestReturned.id())) {
                    latestReturned = candidate;
                }
            }
            if (latestReturned != null && position.get(latestReturned.id()) > position.get(op.id())) {
                violations.add(new Violation(NAME, op + " was ordered before " + latestReturned
                        + ", which had returned before it was called"));
            }
        }
    }
}
