package io.pbft.driver;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The slots this replica has recently prepared, as the core announced them
 * ({@link io.pbft.core.Effects#preparedSlots()}), for the threads that check inbound frames: a
 * prepare for a slot already prepared here can add nothing (the core says so: its prepared
 * certificate is complete), so its signature is not worth checking. On f = 1 that
 * is one prepare in three at a backup and one in three at the primary, each about 60 us of CPU on
 * the thread that would otherwise check the next commit.
 *
 * <p>A ring indexed by sequence number, written by the core thread only. A mark that has been
 * overwritten, or not yet written, only means a prepare gets checked that need not have been.
 */
public final class PreparedSlots {

    private record Mark(long view, long sequence) {}

    private final AtomicReferenceArray<Mark> ring;

    /** Remembers about the last {@code capacity} prepared sequence numbers (at least one window's worth). */
    public PreparedSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    /** Called on the core thread when the core reports ({@code view}, {@code sequence}) prepared. */
    public void markPrepared(long view, long sequence) {
        ring.set(index(sequence), new Mark(view, sequence));
    }

    /** Whether this replica has prepared ({@code view}, {@code sequence}); safe from any thread. */
    public boolean isPrepared(long view, long sequence) {
        Mark mark = ring.get(index(sequence));
        return mark != null && mark.view == view && mark.sequence == sequence;
    }

    private int index(long sequence) {
        return (int) Math.floorMod(sequence, (long) ring.length());
    }
}
