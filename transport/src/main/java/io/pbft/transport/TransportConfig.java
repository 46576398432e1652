package io.pbft.transport;

import java.util.Objects;

/**
 * Limits and timings of a {@link Transport}.
 *
 * @param maxFrameBytes largest frame payload accepted in either direction (the 4-byte length
 *     prefix not included); an inbound frame over it closes the connection, an outbound one is
 *     refused by {@link Connection#send}
 * @param maxQueuedBytesPerConnection bound on the bytes (prefix included) a connection holds
 *     that were accepted by {@code send} but not yet written to the socket; beyond it frames are
 *     dropped, never buffered
 * @param reconnectMinMillis first delay before an outbound connection retries
 * @param reconnectMaxMillis cap on the doubling retry delay
 * @param ioThreads number of Netty I/O threads serving all connections
 * @param listenerLimits what each listening port lets the peers that connect to it hold, unless
 *     {@link Transport#listen(String, int, FrameListener, ListenerLimits)} gives a port its own
 */
public record TransportConfig(
        int maxFrameBytes,
        long maxQueuedBytesPerConnection,
        long reconnectMinMillis,
        long reconnectMaxMillis,
        int ioThreads,
        ListenerLimits listenerLimits) {

    /** Bytes of the big-endian length that precedes every frame on the wire. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    private static final int MIB = 1024 * 1024;

    public TransportConfig {
        if (maxFrameBytes < 1 || maxFrameBytes > Integer.MAX_VALUE - LENGTH_PREFIX_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be in [1, "
                    + (Integer.MAX_VALUE - LENGTH_PREFIX_BYTES) + "], got " + maxFrameBytes);
        }
        // Otherwise a frame of legal size could never be sent, even on an idle connection.
        if (maxQueuedBytesPerConnection < (long) maxFrameBytes + LENGTH_PREFIX_BYTES) {
            throw new IllegalArgumentException("maxQueuedBytesPerConnection must be at least maxFrameBytes + "
                    + LENGTH_PREFIX_BYTES + " (" + ((long) maxFrameBytes + LENGTH_PREFIX_BYTES) + "), got "
                    + maxQueuedBytesPerConnection);
        }
        if (reconnectMinMillis < 1) {
            throw new IllegalArgumentException("reconnectMinMillis must be at least 1, got " + reconnectMinMillis);
        }
        if (reconnectMaxMillis < reconnectMinMillis) {
            throw new IllegalArgumentException("reconnectMaxMillis (" + reconnectMaxMillis
                    + ") must be at least reconnectMinMillis (" + reconnectMinMillis + ")");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
        Objects.requireNonNull(listenerLimits, "listenerLimits");
    }

    /** With {@link ListenerLimits#defaults()}. */
    public TransportConfig(int maxFrameBytes, long maxQueuedBytesPerConnection, long reconnectMinMillis,
            long reconnectMaxMillis, int ioThreads) {
        this(maxFrameBytes, maxQueuedBytesPerConnection, reconnectMinMillis, reconnectMaxMillis, ioThreads,
                ListenerLimits.defaults());
    }

    public TransportConfig withListenerLimits(ListenerLimits limits) {
        return new TransportConfig(maxFrameBytes, maxQueuedBytesPerConnection, reconnectMinMillis, reconnectMaxMillis,
                ioThreads, limits);
    }

    /**
     * 8 MiB frames, 64 MiB queued per connection, 50 ms .. 2000 ms reconnect backoff, max(2, cores) I/O
     * threads, {@link ListenerLimits#defaults()}.
     */
    public static TransportConfig defaults() {
        return new TransportConfig(8 * MIB, 64L * MIB, 50, 2_000,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
