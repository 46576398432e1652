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
    OVERSIZED_BATCH,
    OVERSIZED_REQUEST,
    STALE_REQUEST,
    REQUEST_IN_PROGRESS,
    REQUEST_TO_BACKUP,
    MALFORMED_CHECKPOINT,
    CHECKPOINT_DIVERGED,
    STATUS_TOO_FREQUENT,
}
