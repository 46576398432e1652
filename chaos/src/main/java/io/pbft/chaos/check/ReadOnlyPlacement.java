package io.pbft.chaos.check;

import com.google.protobuf.ByteString;
import io.pbft.core.Execution;
import io.pbft.core.message.Request;
import io.pbft.statemachine.RequestContext;
import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Places read-only operations into the witness order for {@link LinearizabilityChecker}: each at a
 * point k (after the first k requests of the witness) whose state answers its query with its
 * result, inside the window real time allows, and not before a read-only operation that returned
 * before it was called.
 */
final class ReadOnlyPlacement {

    private final List<Execution> witness;
    private final Map<RequestId, Integer> position;
    /** Ordered operations that some correct replica executed, completed or not. */
    private final List<ClientOperation> ordered;
    private final Supplier<? extends StateMachine> model;
    private final int requestCount;

    ReadOnlyPlacement(List<Execution> witness, Map<RequestId, Integer> position, List<ClientOperation> ordered,
            Supplier<? extends StateMachine> model) {
        this.witness = witness;
        this.position = position;
        this.ordered = ordered;
        this.model = model;
        this.requestCount = position.size();
    }

    /** One violation per read-only operation that fits nowhere. */
    List<Violation> place(List<ClientOperation> reads) {
        List<ClientOperation> byCall = new ArrayList<>(reads);
        byCall.sort(Comparator.comparingLong(ClientOperation::callMillis));
        int[] earliest = new int[byCall.size()];
        int[] latest = new int[byCall.size()];
        for (int i = 0; i < byCall.size(); i++) {
            earliest[i] = earliestByOrdered(byCall.get(i));
            latest[i] = latestByOrdered(byCall.get(i));
        }
        BitSet[] fits = statesGivingTheirResults(byCall, earliest, latest);
        List<Violation> violations = new ArrayList<>();
        int[] placed = new int[byCall.size()];
        for (int i = 0; i < byCall.size(); i++) {
            ClientOperation read = byCall.get(i);
            int from = earliest[i];
            for (int j = 0; j < i; j++) {
                if (placed[j] >= 0 && byCall.get(j).returnMillis() < read.callMillis()) {
                    from = Math.max(from, placed[j]);
                }
            }
            int at = fits[i].nextSetBit(from);
            placed[i] = at >= 0 && at <= latest[i] ? at : -1;
            if (placed[i] < 0) {
                violations.add(new Violation(LinearizabilityChecker.NAME, read + " accepted result "
                        + Hex.shortDigest(read.result()) + ", which no state of the correct replicas' order gives"
                        + " between request " + from + " and request " + latest[i]
                        + " of it, where real time places it"));
            }
        }
        return violations;
    }

    /** After every ordered operation that returned before {@code read} was called. */
    private int earliestByOrdered(ClientOperation read) {
        int from = 0;
        for (ClientOperation op : ordered) {
            if (op.completed() && op.returnMillis() < read.callMillis()) {
                from = Math.max(from, position.get(op.id()) + 1);
            }
        }
        return from;
    }

    /** Before every ordered operation called after {@code read} returned. */
    private int latestByOrdered(ClientOperation read) {
        int to = requestCount;
        for (ClientOperation op : ordered) {
            if (op.callMillis() > read.returnMillis()) {
                to = Math.min(to, position.get(op.id()));
            }
        }
        return to;
    }

    /** Per read, the points k in its window at which the model's query gives its result. */
    private BitSet[] statesGivingTheirResults(List<ClientOperation> reads, int[] earliest, int[] latest) {
        BitSet[] fits = new BitSet[reads.size()];
        for (int i = 0; i < fits.length; i++) {
            fits[i] = new BitSet();
        }
        StateMachine service = model.get();
        int k = 0;
        answerAt(k, service, reads, earliest, latest, fits);
        for (Execution execution : witness) {
            for (Request request : execution.requests()) {
                if (position.get(RequestId.of(request)) != k) {
                    continue; // executed before: the replicas skip it too
                }
                RequestContext context =
                        new RequestContext(request.clientId(), execution.sequence(), execution.timestampMillis());
                if (request.readOnly()) {
                    service.query(request.operation().toByteArray());
                } else {
                    service.execute(request.operation().toByteArray(), context);
                }
                k++;
                answerAt(k, service, reads, earliest, latest, fits);
            }
        }
        return fits;
    }

    private static void answerAt(int k, StateMachine service, List<ClientOperation> reads, int[] earliest,
            int[] latest, BitSet[] fits) {
        for (int i = 0; i < reads.size(); i++) {
            if (k >= earliest[i] && k <= latest[i]) {
                ByteString answer = ByteString.copyFrom(service.query(reads.get(i).operation().toByteArray()));
                if (answer.equals(reads.get(i).result())) {
                    fits[i].set(k);
                }
            }
        }
    }
}
