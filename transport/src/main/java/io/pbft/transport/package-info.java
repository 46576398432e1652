/**
 * Framed, bounded TCP byte channels on Netty, between replicas and from clients.
 *
 * <p>What lives here: {@link io.pbft.transport.Transport} (listen, connect with reconnect and
 * backoff), {@link io.pbft.transport.Connection} (send one opaque {@code byte[]} frame, never
 * blocking), {@link io.pbft.transport.FrameListener} (frames in, on I/O threads), the limits in
 * {@link io.pbft.transport.TransportConfig}, what strangers may hold of a listening port
 * (connections, time and bytes before a handshake, idle time) in
 * {@link io.pbft.transport.ListenerLimits}, and the counters in
 * {@link io.pbft.transport.TransportStats}.
 *
 * <p>What may not: any PBFT logic or message type, signature or MAC checks (done above, on the
 * exact bytes received), and Netty types in the public API, so no other module imports
 * {@code io.netty}.
 *
 * <p>Wire format: a 4-byte big-endian payload length, then the payload (0 bytes is a valid frame).
 */
package io.pbft.transport;
