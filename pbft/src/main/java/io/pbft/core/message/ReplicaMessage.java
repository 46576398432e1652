package io.pbft.core.message;

/** A message one replica sends another; the driver has authenticated it before the core sees it. */
public sealed interface ReplicaMessage permits PrePrepare, Prepare, Commit, Checkpoint, Status {

    /** The replica that created the message, as named inside it; must equal the authenticated sender. */
    int replica();

    /**
     * Whether a message of this kind can become part of a certificate that replicas other than
     * its receiver check again: pre-prepares and prepares make up prepared certificates, and
     * checkpoints stable-checkpoint proofs, both of which a view change carries. Those must be
     * signed. The rest only ever convince their receiver, so a MAC is enough, and it costs about
     * a microsecond where a signature check costs about sixty.
     */
    default boolean entersCertificates() {
        return this instanceof PrePrepare || this instanceof Prepare || this instanceof Checkpoint;
    }
}
