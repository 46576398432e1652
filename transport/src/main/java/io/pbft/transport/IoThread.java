package io.pbft.transport;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One I/O thread of a {@link Transport}, for a caller that wants to run its own work on it: work
 * called from a frame listener on this thread can then run inline, without waking another
 * thread, and frames it sends are written without a hand-off. The transport owns the thread:
 * callers must not shut it down; it stops with {@link Transport#close()}.
 */
public final class IoThread {

    private final EventLoop loop;

    IoThread(EventLoop loop) {
        this.loop = loop;
    }

    /** The thread as an executor, for queued and scheduled work. */
    public ScheduledExecutorService executor() {
        return loop;
    }

    /** Whether the calling thread is this I/O thread. */
    public boolean isCurrent() {
        return loop.inEventLoop();
    }
}
