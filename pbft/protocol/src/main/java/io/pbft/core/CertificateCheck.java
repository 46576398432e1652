package io.pbft.core;

import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.StableCheckpoint;

/**
 * Whether evidence that a peer shows (in a view change, a new view, or a checkpoint proof) proves
 * what it claims. The driver has already checked that every signature in it is genuine; this is
 * the rest: counts, distinct signers, matching fields, the right primary. One small interface, so
 * that a variant of the protocol with other evidence (the MAC-only view change of the TOCS 2002
 * paper, say) replaces this and keeps the rest of the view change.
 */
public interface CertificateCheck {

    /** Null if {@code certificate} proves its batch prepared, else why not. */
    Rejection checkPrepared(PreparedCertificate certificate);

    /** Null if {@code checkpoint} is proven stable (or is the initial state), else why not. */
    Rejection checkStable(StableCheckpoint checkpoint);
}
