package io.pbft.driver.state;

/**
 * Why a state-transfer message was dropped or an answer refused, counted per component ({@link
 * StateServer#dropped}, {@link StateFetcher#dropped}) like {@link io.pbft.driver.DropReason} is
 * for the driver's inbound checks. None of them throws; a refused answer makes the fetcher ask
 * another peer.
 */
public enum TransferDrop {

    // Serving: a FetchState the server does not answer.

    /** Asks about a checkpoint this replica does not keep (discarded, or never reached). */
    CHECKPOINT_NOT_KEPT,
    /** Names another sender inside the message than the one the driver authenticated. */
    SENDER_MISMATCH,
    /** Asks for Merkle nodes at a level or index the tree does not have, or for none. */
    BAD_NODE_RANGE,
    /** Asks for a partition the service does not have. */
    BAD_PARTITION_INDEX,
    /** Carries a cursor the service (or the client table's offset encoding) cannot read. */
    BAD_CURSOR,

    // Fetching: a StateChunk the fetcher does not accept.

    /** An answer from a peer with no request outstanding for it, or for another checkpoint. */
    UNSOLICITED_CHUNK,
    /**
     * An answer of another kind, level, index or size than the request outstanding. Answers carry
     * no request id, so an honest answer that comes after its request timed out and the same peer
     * was asked something else lands here too: a strike, which only orders peers.
     */
    MISMATCHED_ANSWER,
    /** Meta whose digest is not the certified one, or whose partition count is not the local service's. */
    WRONG_META,
    /** Node hashes that do not hash to their verified ancestor. */
    WRONG_NODE_HASHES,
    /** A partition chunk the install rejects, that makes no progress, or whose cursor is too long. */
    WRONG_CHUNK,
    /** A complete partition whose content does not have the verified digest: nothing was committed. */
    PARTITION_MISMATCH,
    /** A partition that grew past {@link StateTransferLimits#maxPartitionBytes()}. */
    PARTITION_TOO_LARGE,
    /** Client table bytes whose digest is not the verified one, or a chunk at the wrong offset. */
    CLIENT_TABLE_MISMATCH,
    /** A client table that grew past {@link StateTransferLimits#maxClientTableBytes()}. */
    CLIENT_TABLE_TOO_LARGE,
    /** A request that got no answer within {@link StateTransferLimits#requestTimeoutMillis()}. */
    TIMEOUT,
}
