package io.pbft.transport;

/**
 * What one listening port lets the peers that connect to it hold: descriptors, time and memory.
 * Anyone who can reach the port can connect, so every one of these is a bound on what a stranger
 * can make the process spend.
 *
 * <p>A connection accepted on a port with a handshake starts unauthenticated: until the layer above
 * calls {@link Connection#markAuthenticated()}, a frame may announce at most
 * {@code maxUnauthenticatedFrameBytes}, and a connection that is not authenticated within
 * {@code handshakeTimeoutMillis} is closed. Outbound connections are authenticated from the start:
 * we chose whom to call.
 *
 * @param maxConnections open connections the port keeps at once; a connection beyond it is closed as
 *     soon as it is accepted, before any buffer or handler is set up for it, and counted
 * @param maxConnectionsPerAddress open connections one remote IP address keeps on the port at once,
 *     so that one host cannot take the whole of {@code maxConnections}; beyond it, as above
 * @param handshakeTimeoutMillis how long a new connection has to complete its handshake before it is
 *     closed; 0 for a port without a handshake, whose connections count as authenticated at once
 *     (the layer above then authenticates every frame on its own)
 * @param idleTimeoutMillis a connection from which nothing arrived for this long (up to twice as
 *     long: it is checked every {@code idleTimeoutMillis}) is closed; 0 for never
 * @param maxUnauthenticatedFrameBytes the largest frame payload a connection may announce before it is
 *     authenticated; a larger length prefix closes it before its payload is buffered. Only
 *     {@link TransportConfig#maxFrameBytes()} applies where that is smaller.
 */
public record ListenerLimits(
        int maxConnections,
        int maxConnectionsPerAddress,
        long handshakeTimeoutMillis,
        long idleTimeoutMillis,
        int maxUnauthenticatedFrameBytes) {

    public ListenerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be in [1, maxConnections = "
                    + maxConnections + "], got " + maxConnectionsPerAddress);
        }
        if (handshakeTimeoutMillis < 0) {
            throw new IllegalArgumentException(
                    "handshakeTimeoutMillis must not be negative (0: no handshake), got " + handshakeTimeoutMillis);
        }
        if (idleTimeoutMillis < 0) {
            throw new IllegalArgumentException(
                    "idleTimeoutMillis must not be negative (0: never), got " + idleTimeoutMillis);
        }
        if (maxUnauthenticatedFrameBytes < 1) {
            throw new IllegalArgumentException(
                    "maxUnauthenticatedFrameBytes must be at least 1, got " + maxUnauthenticatedFrameBytes);
        }
    }

    /**
     * 4,096 connections per port, 1,024 per remote address, 10 s to complete a handshake, 5 minutes
     * idle, 4 KiB frames before the handshake.
     *
     * <p>Why these: a replica has two ports, so it keeps at most 8,192 accepted connections, well
     * inside a descriptor limit of 16,384 or more (see the README), with room for its peers, its
     * files and its RocksDB; a local cluster and the benchmarks open a few dozen per port. A
     * client's hello is under 200 bytes. An honest client that goes quiet for 5 minutes loses its
     * connection and reconnects when it next has something to say.
     */
    public static ListenerLimits defaults() {
        return new ListenerLimits(4_096, 1_024, 10_000, 300_000, 4_096);
    }

    /** These limits for a port whose connections need no handshake: they count as authenticated at once. */
    public ListenerLimits withoutHandshake() {
        return withHandshakeTimeoutMillis(0);
    }

    public ListenerLimits withMaxConnections(int max, int maxPerAddress) {
        return new ListenerLimits(max, maxPerAddress, handshakeTimeoutMillis, idleTimeoutMillis,
                maxUnauthenticatedFrameBytes);
    }

    public ListenerLimits withHandshakeTimeoutMillis(long millis) {
        return new ListenerLimits(maxConnections, maxConnectionsPerAddress, millis, idleTimeoutMillis,
                maxUnauthenticatedFrameBytes);
    }

    public ListenerLimits withIdleTimeoutMillis(long millis) {
        return new ListenerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis, millis,
                maxUnauthenticatedFrameBytes);
    }

    public ListenerLimits withMaxUnauthenticatedFrameBytes(int bytes) {
        return new ListenerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeoutMillis,
                idleTimeoutMillis, bytes);
    }

    /** Whether connections must complete a handshake before they count as authenticated. */
    public boolean requiresHandshake() {
        return handshakeTimeoutMillis > 0;
    }
}
