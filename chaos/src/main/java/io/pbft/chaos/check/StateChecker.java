package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import io.pbft.statemachine.PartitionedStateMachine;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * State: at every checkpoint a correct replica reached, its service's state digest is the one a
 * fresh copy of the service has after executing the correct replicas' order up to there. Checkpoint
 * agreement compares replicas with each other; this compares them with what they executed, so it
 * also catches a state that every replica lost alike, as a whole cluster restarted from snapshots
 * that miss a write would.
 */
public final class StateChecker implements Checker {

    public static final String NAME = "State";

    private final Supplier<? extends StateMachine> model;

    /** {@code model} makes a fresh, empty instance of the replicated service, partitioned as the replicas'. */
    public StateChecker(Supplier<? extends StateMachine> model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunHistory history) {
        SortedMap<Long, ByteString> expected = modelDigests(history);
        List<Violation> violations = new ArrayList<>();
        for (int replica : history.correctReplicas()) {
            for (RunHistory.Incarnation incarnation : history.incarnations().get(replica)) {
                for (Map.Entry<Long, ByteString> checkpoint : incarnation.checkpointDigests().entrySet()) {
                    ByteString digest = expected.get(checkpoint.getKey());
                    if (digest != null && !digest.equals(checkpoint.getValue())) {
                        violations.add(new Violation(NAME, "after sequence number " + checkpoint.getKey() + " replica "
                                + replica + " had state digest " + Hex.shortDigest(checkpoint.getValue())
                                + " but executing the correct replicas' order gives " + Hex.shortDigest(digest)));
                    }
                }
            }
        }
        return violations;
    }

    /** The model's state digest after each checkpoint of the agreed order (as far as it has no gap). */
    private SortedMap<Long, ByteString> modelDigests(RunHistory history) {
        PartitionedStateMachine service = PartitionedStateMachine.of(model.get());
        SortedMap<Long, ByteString> digests = new TreeMap<>();
        for (Execution execution : history.agreedExecutions()) {
            for (Request request : execution.requests()) {
                try {
                    // With the context the replicas executed it with: a service may depend on it.
                    service.execute(request.operation().toByteArray(),
                            new RequestContext(request.clientId(), execution.sequence(), execution.timestampMillis()));
                } catch (RuntimeException e) {
                    // A replica whose service throws stops; the model goes on, and differs where they did.
                }
            }
            if (execution.checkpoint()) {
                digests.put(execution.sequence(), ByteString.copyFrom(service.stateDigest()));
            }
        }
        return digests;
    }
}
