package io.pbft.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes a connection has accepted for sending but not yet written to the socket, bounded.
 *
 * <p>We keep our own counter instead of using Netty's channel writability: writability is a
 * hint that flips after the fact, and writes handed over from other threads are only counted
 * once the event loop gets to them, so it cannot give a hard bound. Here a frame is acquired
 * before it is queued and released by the listener on its write future, success or failure.
 */
final class OutboundBudget {

    private final long limitBytes;
    private final AtomicLong queuedBytes = new AtomicLong();

    OutboundBudget(long limitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("limitBytes must not be negative, got " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /** Reserves {@code bytes}; false, and nothing reserved, when that would exceed the limit. */
    boolean tryAcquire(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        // A CAS loop rather than add-then-undo, so that a refused sender never makes a
        // concurrent sender see a transient overshoot and be refused too.
        while (true) {
            long current = queuedBytes.get();
            long next = current + bytes;
            if (next > limitBytes) {
                return false;
            }
            if (queuedBytes.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    void release(int bytes) {
        long after = queuedBytes.addAndGet(-bytes);
        assert after >= 0 : "released more than acquired: " + after;
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    long limitBytes() {
        return limitBytes;
    }
}
