package io.pbft.transport;

/**
 * A framed byte channel to one peer. Frames are opaque: authenticating them is the business of
 * the layers above.
 */
public interface Connection {

    /** Unique among all connections of this process. */
    long id();

    /** The peer as {@code host:port}. */
    String remoteAddress();

    boolean isOpen();

    /**
     * Queues one frame. Never blocks. Returns false (and counts it) when the connection is
     * closed/not yet connected or the queued bytes would exceed the bound; the frame is then
     * dropped. The frame is copied before this returns, so the caller may reuse the array.
     * Frames sent from one thread reach the peer in the order they were sent (or not at all).
     */
    boolean send(byte[] frame);

    void close();

    /**
     * Says that the layer above has authenticated the peer (its handshake completed): the connection
     * may now announce frames up to the maximum frame, and is no longer closed for lack of a
     * handshake (see {@link ListenerLimits}). Until then an accepted connection is held to the
     * small pre-handshake limits. Nothing to do for connections that start authenticated (outbound
     * ones, and those of a port without a handshake). Called from {@link FrameListener#onFrame}, it
     * applies from the next frame on; from another thread, as soon as the I/O thread gets to it.
     */
    void markAuthenticated();

    /**
     * Stops reading from the peer until {@link #resumeReading}: what it sends meanwhile waits in the
     * sockets, so a peer that sends faster than the layer above takes its frames is slowed to that
     * pace rather than read and parsed for nothing on a shared I/O thread. Frames already read are
     * held and delivered, in order, after the resume. A paused connection does not count as idle.
     * Any thread. Connections that cannot pause (outbound ones) go on reading.
     */
    default void pauseReading() {
    }

    /** Undoes {@link #pauseReading}; harmless on a connection that is not paused or is closed. Any thread. */
    default void resumeReading() {
    }
}
