package io.pbft.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link Transport}, updated from any thread. Byte counts are frame payload
 * bytes, without the 4-byte length prefix.
 */
public final class TransportStats {

    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder framesRejectedOversized = new LongAdder();
    private final LongAdder framesDroppedQueueFull = new LongAdder();
    private final LongAdder framesDroppedNotConnected = new LongAdder();
    private final LongAdder writesFailed = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder reconnectAttempts = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder connectionsClosedOnError = new LongAdder();
    private final LongAdder connectionsOpen = new LongAdder();
    private final LongAdder connectionsRefusedPortFull = new LongAdder();
    private final LongAdder connectionsRefusedAddressFull = new LongAdder();
    private final LongAdder acceptFailures = new LongAdder();
    private final LongAdder connectionsClosedHandshakeTimeout = new LongAdder();
    private final LongAdder connectionsClosedIdle = new LongAdder();
    private final LongAdder framesRejectedBeforeHandshake = new LongAdder();

    TransportStats() {}

    public long framesReceived() {
        return framesReceived.sum();
    }

    /** Frames fully handed to the operating system. */
    public long framesSent() {
        return framesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Inbound frames over the limit (each closed its connection) plus outbound frames refused by {@code send}. */
    public long framesRejectedOversized() {
        return framesRejectedOversized.sum();
    }

    public long framesDroppedQueueFull() {
        return framesDroppedQueueFull.sum();
    }

    public long framesDroppedNotConnected() {
        return framesDroppedNotConnected.sum();
    }

    /** Frames accepted by {@code send} whose write then failed, typically because the connection closed first. */
    public long writesFailed() {
        return writesFailed.sum();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    /** Connection attempts after the first one of each outbound connection. */
    public long reconnectAttempts() {
        return reconnectAttempts.sum();
    }

    /** Exceptions thrown by a {@link FrameListener}, caught and logged. */
    public long listenerFailures() {
        return listenerFailures.sum();
    }

    /** Connections closed because of an error in their pipeline (oversized frame, I/O error). */
    public long connectionsClosedOnError() {
        return connectionsClosedOnError.sum();
    }

    /** Accepted connections that are open now, on all listening ports. */
    public long connectionsOpen() {
        return connectionsOpen.sum();
    }

    /** Connections closed at accept because their port had {@link ListenerLimits#maxConnections()} open. */
    public long connectionsRefusedPortFull() {
        return connectionsRefusedPortFull.sum();
    }

    /**
     * Connections closed at accept because their remote address had
     * {@link ListenerLimits#maxConnectionsPerAddress()} open on the port.
     */
    public long connectionsRefusedAddressFull() {
        return connectionsRefusedAddressFull.sum();
    }

    /** Accepts that failed (typically: the process is out of file descriptors); each pauses accepting. */
    public long acceptFailures() {
        return acceptFailures.sum();
    }

    /** Connections closed because they did not complete their handshake in time. */
    public long connectionsClosedHandshakeTimeout() {
        return connectionsClosedHandshakeTimeout.sum();
    }

    /** Connections closed because nothing arrived on them for the idle timeout. */
    public long connectionsClosedIdle() {
        return connectionsClosedIdle.sum();
    }

    /**
     * Inbound frames that announced more than {@link ListenerLimits#maxUnauthenticatedFrameBytes()} (and
     * at most the maximum frame) before their connection was authenticated; each closed its connection.
     */
    public long framesRejectedBeforeHandshake() {
        return framesRejectedBeforeHandshake.sum();
    }

    void frameReceived(int payloadBytes) {
        framesReceived.increment();
        bytesReceived.add(payloadBytes);
    }

    void frameSent(int payloadBytes) {
        framesSent.increment();
        bytesSent.add(payloadBytes);
    }

    void frameRejectedOversized() {
        framesRejectedOversized.increment();
    }

    void frameDroppedQueueFull() {
        framesDroppedQueueFull.increment();
    }

    void frameDroppedNotConnected() {
        framesDroppedNotConnected.increment();
    }

    void writeFailed() {
        writesFailed.increment();
    }

    void connectionAccepted() {
        connectionsAccepted.increment();
    }

    void reconnectAttempt() {
        reconnectAttempts.increment();
    }

    void listenerFailed() {
        listenerFailures.increment();
    }

    void connectionClosedOnError() {
        connectionsClosedOnError.increment();
    }

    void connectionOpened() {
        connectionsOpen.increment();
    }

    void connectionClosed() {
        connectionsOpen.decrement();
    }

    void connectionRefusedPortFull() {
        connectionsRefusedPortFull.increment();
    }

    void connectionRefusedAddressFull() {
        connectionsRefusedAddressFull.increment();
    }

    void acceptFailed() {
        acceptFailures.increment();
    }

    void connectionClosedHandshakeTimeout() {
        connectionsClosedHandshakeTimeout.increment();
    }

    void connectionClosedIdle() {
        connectionsClosedIdle.increment();
    }

    void frameRejectedBeforeHandshake() {
        framesRejectedBeforeHandshake.increment();
    }

    @Override
    public String toString() {
        return "TransportStats[framesReceived=" + framesReceived() + ", framesSent=" + framesSent()
                + ", bytesReceived=" + bytesReceived() + ", bytesSent=" + bytesSent()
                + ", framesRejectedOversized=" + framesRejectedOversized()
                + ", framesDroppedQueueFull=" + framesDroppedQueueFull()
                + ", framesDroppedNotConnected=" + framesDroppedNotConnected()
                + ", writesFailed=" + writesFailed() + ", connectionsAccepted=" + connectionsAccepted()
                + ", reconnectAttempts=" + reconnectAttempts() + ", listenerFailures=" + listenerFailures()
                + ", connectionsClosedOnError=" + connectionsClosedOnError() + ", connectionsOpen=" + connectionsOpen()
                + ", connectionsRefusedPortFull=" + connectionsRefusedPortFull()
                + ", connectionsRefusedAddressFull=" + connectionsRefusedAddressFull()
                + ", acceptFailures=" + acceptFailures()
                + ", connectionsClosedHandshakeTimeout=" + connectionsClosedHandshakeTimeout()
                + ", connectionsClosedIdle=" + connectionsClosedIdle()
                + ", framesRejectedBeforeHandshake=" + framesRejectedBeforeHandshake() + "]";
    }
}
