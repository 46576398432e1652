package io.pbft.transport;

/**
 * Receives what arrives on connections. Every method runs on a Netty I/O thread: it must be
 * thread-safe and quick (hand heavy work, such as signature checks in bulk, to another executor).
 * An exception thrown here is logged and counted, and the connection keeps delivering.
 */
public interface FrameListener {

    /** Called on each (re)connect for client-side connections, on accept for server-side ones. */
    default void onOpen(Connection connection) {}

    /** Called on a Netty I/O thread, once per frame, in the order the peer sent them. */
    void onFrame(Connection connection, byte[] frame);

    /** Called once for each {@link #onOpen} when that connection goes away. */
    default void onClose(Connection connection) {}

    /**
     * Called for client-side connections when a connect attempt fails (refused, unreachable, timed
     * out) before any {@link #onOpen}; the connection retries by itself. Lets a client tell "nobody
     * listens there" from "listening but silent".
     */
    default void onConnectFailed(Connection connection, Throwable cause) {}
}
