package io.pbft.driver;

/**
 * Why a driver dropped an input before the core saw it (or an output it could not deliver). Each
 * is counted ({@link DropCounter}); the core's own rejections are counted separately, by
 * {@link io.pbft.core.Rejection}.
 */
public enum DropReason {
    /** Bytes that do not parse as the expected frame, or a message the wire codec rejects. */
    MALFORMED_FRAME,
    /** A replica message naming a sender outside [0, n) or this replica itself. */
    UNKNOWN_SENDER,
    /**
     * A replica message whose Ed25519 signature does not verify under the sender's configured key,
     * or one that carries a signed message (in a certificate) whose signature does not.
     */
    BAD_SIGNATURE,
    /** A replica message whose MAC does not verify under the key this replica shares with the sender. */
    BAD_REPLICA_MAC,
    /**
     * A replica message of a kind that can enter a certificate (pre-prepare, prepare, checkpoint,
     * view change, new view) that came with a MAC instead of a signature.
     */
    MISSING_SIGNATURE,
    /**
     * A signed message whose payload is not the canonical encoding of what it says (extra fields,
     * padding): relayed in certificates, it would make them grow at its sender's will.
     */
    NON_CANONICAL,
    /**
     * A pre-prepare holding a request whose authenticator is not one well-formed entry per replica,
     * or whose key or signature has the wrong length. (A request whose entry and signature both
     * fail to verify here does not drop the pre-prepare: the core holds it until 2f other backups
     * vouch for it; see {@link DropCounter#unverifiedPrePrepare()}.)
     */
    BAD_REQUEST_AUTHENTICATOR,
    /** A client request whose authenticator entry for this replica does not verify. */
    BAD_MAC,
    /**
     * A client request, from the client or forwarded by a backup, without a valid signature by its
     * client (or whose public key is not the one its client id names): never proposed, since the
     * backups could not all authenticate it.
     */
    BAD_REQUEST_SIGNATURE,
    /** A client request with MACs for fewer than n - f replicas (the client lacked sessions); it retransmits. */
    INCOMPLETE_AUTHENTICATOR,
    /** A client request on a connection that has not completed its handshake. */
    NO_SESSION,
    /** A client request naming another client id than the connection's handshake established. */
    CLIENT_ID_MISMATCH,
    /** A client handshake that failed (bad signature, wrong lengths, a second hello); the connection is closed. */
    HANDSHAKE_FAILED,
    /** A reply to a client that has no open connection to this replica, or whose connection refused it. */
    REPLY_UNDELIVERABLE,
    /** An input refused because the core's queue is full: the replica is overloaded; peers and clients retransmit. */
    OVERLOADED,
    /**
     * A client request that came while the same one waited for the core, or that a newer one of the
     * same client replaced or found behind a full window of its client's waiting ones: a client has
     * at most a window of requests outstanding, so a flood of them takes a window's places in the queue.
     */
    SUPERSEDED_REQUEST,
}
