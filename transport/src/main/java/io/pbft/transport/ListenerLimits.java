package io.pbft.transport;

/**
 * What one listening port lets the peers that connect to it hold. Anyone who can reach the port
 * can connect, so every one of these is a bound on what a stranger can make the process spend.
 *
 * @param maxConnections open connections the port keeps at once; a connection beyond it is closed as
 *     soon as it is accepted, before any buffer or handler is set up for it, and counted
 * @param maxConnectionsPerAddress open connections one remote IP address keeps on the port at once,
 *     so that one host cannot take the whole of {@code maxConnections}; beyond it, as above
 */
public record ListenerLimits(
        int maxConnections,
        int maxConnectionsPerAddress) {

    public ListenerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be in [1, maxConnections = "
                    + maxConnections + "], got " + maxConnectionsPerAddress);
        }
    }

    /**
     * 4,096 connections per port, 1,024 per remote address.
     *
     * <p>Why these: a replica has two ports, so it keeps at most 8,192 accepted connections, well
     * inside a descriptor limit of 16,384 or more (see the README), with room for its peers, its
     * files and its RocksDB; a local cluster and the benchmarks open a few dozen per port.
     */
    public static ListenerLimits defaults() {
        return new ListenerLimits(4_096, 1_024);
    }

    public ListenerLimits withMaxConnections(int max, int maxPerAddress) {
        return new ListenerLimits(max, maxPerAddress);
    }
}
