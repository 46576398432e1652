package io.pbft.chaos.sim;

import io.pbft.statemachine.RequestContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends each operation with the context it executed in, and answers with the context: replicas
 * that disagree on a context disagree on the result and on the state digest, which the checkers
 * catch. It also keeps the contexts it saw (not in its state: a restored instance has only those
 * it executed itself), for the tests. Runs in the simulator and, with {@code --service}, in replica
 * processes.
 */
public class ContextLogStateMachine extends AppendLogStateMachine {

    private final List<RequestContext> seen = new ArrayList<>();

    /** For {@code pbft replica --service}, which the live tests run it with. */
    public ContextLogStateMachine() {}

    /** The context a result of {@link #execute(byte[], RequestContext)} encodes. */
    public static RequestContext contextOf(byte[] result) {
        ByteBuffer buffer = ByteBuffer.wrap(result);
        return new RequestContext(buffer.getLong(), buffer.getLong(), buffer.getLong());
    }

    @Override
    public byte[] execute(byte[] operation, RequestContext context) {
        seen.add(context);
        byte[] encoded = ByteBuffer.allocate(3 * Long.BYTES)
                .putLong(context.clientId()).putLong(context.sequence()).putLong(context.timestampMillis()).array();
        super.execute(ByteBuffer.allocate(operation.length + encoded.length).put(operation).put(encoded).array());
        return encoded;
    }

    List<RequestContext> seen() {
        return List.copyOf(seen);
    }
}
