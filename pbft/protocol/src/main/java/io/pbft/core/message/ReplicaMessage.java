package io.pbft.core.message;

/** A message one replica sends another; the driver has authenticated it before the core sees it. */
public sealed interface ReplicaMessage
        permits PrePrepare, Prepare, Commit, Checkpoint, Status, ViewChange, NewView, FetchBatch, BatchContent,
                CommittedBatch, ForwardedRequest, FetchState, StateChunk, SlowPrimaryComplaint {

    /** The replica that created the message, as named inside it; must equal the authenticated sender. */
    int replica();

    /**
     * Whether a message of this kind can become part of a certificate that replicas other than
     * its receiver check again: pre-prepares and prepares make up prepared certificates,
     * checkpoints stable-checkpoint proofs, and view changes a new view. Those must be signed, and
     * reach the core as {@link Signed}. The rest only ever convince their receiver, so a MAC is
     * enough, and it costs about a microsecond where a signature check costs about sixty.
     */
    default boolean entersCertificates() {
        return this instanceof PrePrepare || this instanceof Prepare || this instanceof Checkpoint
                || this instanceof ViewChange || this instanceof NewView;
    }
}
