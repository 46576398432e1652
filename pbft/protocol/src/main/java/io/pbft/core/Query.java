package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Reply;
import io.pbft.core.message.Request;

/**
 * A read-only request to answer from the state as it stands, without ordering it (the PBFT
 * read-only optimization). The driver answers it after every {@link Execution} emitted before it,
 * with the service's {@code query}, which never changes the state; the client accepts the answer
 * only from 2f + 1 matching replies (see the client's {@code invokeReadOnly}). A replica executes
 * only committed batches, so the state it answers from is always a committed prefix of the order.
 *
 * @param view the view this replica was in, so that the reply tells the client the primary
 * @param replica this replica's id
 */
public record Query(long view, int replica, Request request) {

    /** The reply that carries {@code result}, the service's answer to this query. */
    public Reply reply(ByteString result) {
        return new Reply(view, request.clientId(), request.timestamp(), replica, result);
    }
}
