package io.pbft.core;

import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;

/**
 * Signs this replica's messages that can enter certificates: the core keeps its own prepares,
 * pre-prepares, checkpoints and view changes as certificates like everyone else's, so it needs the
 * signed bytes when it makes them. Signing must be deterministic (Ed25519 is), so the core stays a
 * pure function of its inputs; the driver supplies it (Ed25519 in the node, a cheap stand-in that
 * still fails on forgery in the simulator).
 */
public interface MessageSigner {

    <M extends ReplicaMessage> Signed<M> sign(M message);
}
