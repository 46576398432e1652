package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A message together with the signed envelope it came in (or, for this replica's own messages, the
 * one its driver made): the exact bytes whose signature was checked, opaque to the core. A set of
 * these is a certificate that any replica can check again on its own, which is what a view change
 * and a stable checkpoint proof are made of.
 */
public record Signed<M extends ReplicaMessage>(M message, ByteString envelope) {

    public Signed {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(envelope, "envelope");
    }

    public int signer() {
        return message.replica();
    }
}
