package io.pbft.core;

/** Why the core dropped an input. Each is counted; none is an error of the core itself. */
public enum Rejection {
    UNKNOWN_SENDER,
    SENDER_MISMATCH,
    FROM_SELF,
    WRONG_VIEW,
    OUTSIDE_WINDOW,
    NOT_FROM_PRIMARY,
    PREPARE_FROM_PRIMARY,
    CONFLICTING_MESSAGE,
    DUPLICATE_MESSAGE,
    DIGEST_MISMATCH,
    /** A pre-prepare whose agreed time is too far from this replica's clock or out of order with its neighbours'. */
    UNACCEPTABLE_TIMESTAMP,
    OVERSIZED_BATCH,
    OVERSIZED_REQUEST,
    /** A request at or below its client's window (see {@code ClientTable}): too old to run. */
    STALE_REQUEST,
    /** The driver reported installing a checkpoint that is no longer the one to reach (a newer one became stable). */
    STALE_STATE,
    /** A request queued, proposed or ordered already: it is on its way. */
    REQUEST_IN_PROGRESS,
    /** A replica message that must be signed reached the core without its signature: a driver bug. */
    MISSING_SIGNATURE,
    /** A vote for a sequence number this replica has executed already. */
    ALREADY_EXECUTED,
    /** A prepared certificate or checkpoint proof that does not prove what it claims. */
    INVALID_CERTIFICATE,
    INVALID_VIEW_CHANGE,
    /** A new view whose view changes are not a valid quorum, or whose re-issued pre-prepares differ from theirs. */
    INVALID_NEW_VIEW,
    /** A batch nobody here asked for, or one asked for that this replica does not have. */
    UNWANTED_BATCH,
    /**
     * A read-only request forwarded by a replica: read-only requests are answered by each replica
     * to the client that sent it, never passed on or ordered.
     */
    READ_ONLY_FORWARDED,
    /**
     * A read-only request to a replica that restarted from its disk and has not yet executed up to
     * the highest sequence number it voted on before: its state may be older than answers it
     * gave, and a quorum of such replicas could agree on a value older than a completed write.
     * The client orders it instead.
     */
    READ_ONLY_RECOVERING,
    /** A request forwarded by a backup to a replica that is not the primary. */
    FORWARDED_TO_BACKUP,
    MALFORMED_CHECKPOINT,
    CHECKPOINT_DIVERGED,
    /**
     * A status sooner than half a status interval after the last one answered, showing no
     * progress, or claiming progress outside what this replica last sent it.
     */
    STATUS_TOO_FREQUENT,
    /**
     * A status sooner than half a status interval, from a peer that executed more since its last
     * one but was sent nothing to catch up by this replica: a correct replica catching up
     * broadcasts these; it is answered at the interval.
     */
    EARLY_STATUS,
}
