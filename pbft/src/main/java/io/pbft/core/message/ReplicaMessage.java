package io.pbft.core.message;

/** A message one replica sends another; the driver has checked its signature before the core sees it. */
public sealed interface ReplicaMessage permits PrePrepare, Prepare, Commit, Checkpoint, Status {

    /** The replica that created the message, as named inside it; must equal the authenticated sender. */
    int replica();
}
