package io.pbft.core;

import com.google.protobuf.ByteString;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import java.util.List;
import java.util.Objects;

/**
 * A message the driver must send, to one replica or to all others. A message that can enter a
 * certificate comes already signed ({@code envelope}, made by the core's {@link MessageSigner}),
 * and is sent as those exact bytes; the driver MACs the others per destination. A pre-prepare
 * carries its batch beside the signed envelope.
 *
 * @param envelope the signed envelope, or null for a message the driver authenticates with a MAC
 * @param batch the requests that travel with a pre-prepare; empty otherwise
 */
public record Outbound(int destination, ReplicaMessage message, ByteString envelope, List<Request> batch) {

    public static final int ALL_OTHERS = -1;

    public Outbound {
        Objects.requireNonNull(message, "message");
        batch = List.copyOf(batch);
        if (message.entersCertificates() != (envelope != null)) {
            throw new IllegalArgumentException(envelope == null
                    ? "a message that enters certificates must be sent signed"
                    : "only messages that enter certificates are sent signed");
        }
    }

    /** A message the driver authenticates with a MAC, to all others. */
    public static Outbound broadcast(ReplicaMessage message) {
        return new Outbound(ALL_OTHERS, message, null, List.of());
    }

    public static Outbound broadcast(Signed<?> signed) {
        return new Outbound(ALL_OTHERS, signed.message(), signed.envelope(), List.of());
    }

    public static Outbound broadcast(Signed<PrePrepare> prePrepare, List<Request> batch) {
        return new Outbound(ALL_OTHERS, prePrepare.message(), prePrepare.envelope(), batch);
    }

    /** A message the driver authenticates with a MAC, to one replica. */
    public static Outbound to(int replica, ReplicaMessage message) {
        return new Outbound(replica, message, null, List.of());
    }

    public static Outbound to(int replica, Signed<?> signed) {
        return new Outbound(replica, signed.message(), signed.envelope(), List.of());
    }

    public static Outbound to(int replica, Signed<PrePrepare> prePrepare, List<Request> batch) {
        return new Outbound(replica, prePrepare.message(), prePrepare.envelope(), batch);
    }

    /** The same message, envelope and batch, to {@code replica} instead. */
    public Outbound redirectedTo(int replica) {
        return new Outbound(replica, message, envelope, batch);
    }

    public boolean isBroadcast() {
        return destination == ALL_OTHERS;
    }

    public boolean isSigned() {
        return envelope != null;
    }
}
