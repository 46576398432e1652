package io.pbft.core;

import io.pbft.core.message.ReplicaMessage;
import io.pbft.core.message.Signed;

/**
 * Something an operator should hear about, reported by the core as an effect (the core does not
 * log): the driver logs each once.
 */
public sealed interface ProtocolEvent {

    /** This replica voted to leave its view for {@code newView}. */
    record ViewChangeStarted(long newView, ViewChangeCause cause) implements ProtocolEvent {}

    /** This replica entered {@code view}, led by {@code primary}, with {@code reissued} sequence numbers carried over. */
    record NewViewEntered(long view, int primary, int reissued) implements ProtocolEvent {}

    /**
     * A quorum certified a state digest at {@code sequence} that differs from this replica's own:
     * its state is wrong, and it stops voting for it.
     */
    record CheckpointDiverged(long sequence) implements ProtocolEvent {}

    /** The replica installed the state of stable checkpoint {@code sequence} fetched from its peers. */
    record StateInstalled(long sequence) implements ProtocolEvent {}

    /**
     * The replica, its state found divergent, installed the certified state of stable checkpoint
     * {@code sequence} over it and executes again from there.
     */
    record StateRepaired(long sequence) implements ProtocolEvent {}

    /**
     * The replica restarted from its disk: in {@code view} (working in it, or waiting for its new
     * view), with its state as of {@code lastExecuted}, after replaying {@code records} records.
     */
    record Recovered(long view, boolean active, long lastExecuted, int records) implements ProtocolEvent {}

    /**
     * Replica {@code sender} signed two messages that no correct replica signs together: two
     * pre-prepares or two prepares for one view and sequence number with different batches, or two
     * checkpoints for one sequence number with different states. Both, with their signatures, prove
     * it to anyone who holds the sender's public key.
     */
    record Equivocation(int sender, Signed<? extends ReplicaMessage> first, Signed<? extends ReplicaMessage> second)
            implements ProtocolEvent {}

    /** Why a replica votes to change view. */
    enum ViewChangeCause {
        /** A request it knows of did not execute within the timeout: the primary is faulty, slow or cut off. */
        REQUEST_TIMEOUT,
        /** A batch it accepted did not execute in time: the view lost its quorum or its primary stalls. */
        NO_PROGRESS,
        /**
         * f + 1 replicas (this one among them, or not) complained that their primary orders requests
         * many times slower than the network allows ({@link SlowPrimaryDefence}): correct in form, but
         * slow enough to cut throughput by orders of magnitude.
         */
        SLOW_PRIMARY,
        /** The view change it joined did not produce a new view in time: the next primary is faulty too. */
        NEW_VIEW_TIMEOUT,
        /** f + 1 others voted for a higher view, so at least one correct replica did. */
        JOINED_OTHERS,
        /** A peer voted for a higher view alone, and this replica had nothing to wait for over a whole timeout. */
        JOINED_WHILE_IDLE,
    }
}
