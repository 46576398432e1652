package io.pbft.driver.state;

/**
 * Why a state-transfer message was dropped, counted per component ({@link StateServer#dropped})
 * like {@link io.pbft.driver.DropReason} is for the driver's inbound checks. None of them throws.
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
}
