package io.pbft.core;

/** The few facts every concern of one replica's core reads: where it is in views and sequence numbers. */
final class ReplicaState {

    final ReplicaConfig config;
    final MessageSigner signer;
    final Rejections rejections = new Rejections();
    long view;
    /**
     * Whether this replica works in {@link #view}: false from the moment it votes to leave its view
     * (or learns of a newer one) until it accepts that view's new-view message. Meanwhile it sends
     * nothing for any view but view-change messages.
     */
    boolean active = true;
    /**
     * h: the sequence number of the last stable checkpoint this replica holds a proof of. Usually
     * at or below {@link #lastExecuted}; above it when a quorum certified a checkpoint this replica
     * has not reached (it then needs the state from others).
     */
    long lowWatermark;
    /** The highest sequence number whose execution the driver has reported. */
    long lastExecuted;
    long nowMillis;

    ReplicaState(ReplicaConfig config, MessageSigner signer) {
        this.config = config;
        this.signer = signer;
    }

    int self() {
        return config.replicaId();
    }

    int primary() {
        return config.primaryOf(view);
    }

    boolean isPrimary() {
        return primary() == self();
    }

    /** The watermark window (h, h + L]: where a primary may assign sequence numbers. */
    boolean inWindow(long sequence) {
        return sequence > lowWatermark && sequence <= lowWatermark + config.windowSize();
    }

    /**
     * Where messages about a sequence number can still matter here: not yet executed, inside the
     * window or, for a replica catching up, in the window kept below it.
     */
    boolean inLogRange(long sequence) {
        return sequence > Math.max(lastExecuted, lowWatermark - config.windowSize())
                && sequence <= lowWatermark + config.windowSize();
    }

    /** Whether a stable checkpoint is certified above what this replica has executed. */
    boolean needsState() {
        return lowWatermark > lastExecuted;
    }

    void reject(Rejection reason) {
        rejections.increment(reason);
    }
}
