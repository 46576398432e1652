package io.pbft.core;

/** The few facts every concern of one replica's core reads: where it is in views and sequence numbers. */
final class ReplicaState {

    final ReplicaConfig config;
    final Rejections rejections = new Rejections();
    long view;
    /** h: the sequence number of the last stable checkpoint; the log holds only what is above it. */
    long lowWatermark;
    /** The highest sequence number whose execution the driver has reported. */
    long lastExecuted;
    long nowMillis;

    ReplicaState(ReplicaConfig config) {
        this.config = config;
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

    /** The watermark window (h, h + L]. */
    boolean inWindow(long sequence) {
        return sequence > lowWatermark && sequence <= lowWatermark + config.windowSize();
    }

    void reject(Rejection reason) {
        rejections.increment(reason);
    }
}
