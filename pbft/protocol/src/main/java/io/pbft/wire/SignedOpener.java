package io.pbft.wire;

import com.google.protobuf.ByteString;
import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;

/**
 * Opens a signed envelope nested inside another message (a certificate's parts, the view changes of
 * a new view): parses it, checks its signature under its sender's key, decodes it. Supplied by the
 * driver, which holds the keys.
 */
@FunctionalInterface
public interface SignedOpener {

    /** The verified message of {@code envelope}, which must be of {@code kind}. */
    <M extends ReplicaMessage> Signed<M> open(ByteString envelope, Class<M> kind) throws MalformedMessageException;
}
