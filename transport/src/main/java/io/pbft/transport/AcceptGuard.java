package io.pbft.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a listening socket, on the accept thread: sees each accepted connection
 * before Netty registers it with an I/O thread, and each failed accept.
 *
 * <p>A connection beyond the port's {@link ListenerLimits#maxConnections()}, or beyond
 * {@link ListenerLimits#maxConnectionsPerAddress()} for its remote address, is closed there and then:
 * it never gets a pipeline, a buffer or a handler, and a flood of them costs a descriptor only for
 * the instant of the accept. Without a cap, 20,000 idle connections once took every descriptor of
 * a replica, which then could not accept its clients, its peers or open a file.
 *
 * <p>A failed accept (out of descriptors: {@code EMFILE}) pauses accepting, with a backoff that
 * doubles up to {@value #ACCEPT_RETRY_MAX_MILLIS} ms and starts again from
 * {@value #ACCEPT_RETRY_MIN_MILLIS} ms after an accept succeeds; pending connections wait in the
 * kernel's backlog meanwhile. Netty alone paused for a second on epoll and NIO, logging a
 * warning each time, and on io_uring retried at once: 190,000 warnings in 6 seconds (see
 * {@link IoFlavour} for the other half of that fix). Refusals and failures are counted in
 * {@link TransportStats} and logged at most once per {@value #LOG_INTERVAL_SECONDS} s each.
 */
final class AcceptGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptGuard.class);

    static final long ACCEPT_RETRY_MIN_MILLIS = 50;
    static final long ACCEPT_RETRY_MAX_MILLIS = 1_000;
    static final long LOG_INTERVAL_SECONDS = 10;

    private final ListenerLimits limits;
    private final TransportStats stats;
    private final AtomicInteger open = new AtomicInteger();
    /** Only the accept thread adds; the I/O threads of closing connections take away. */
    private final ConcurrentHashMap<InetAddress, Integer> openPerAddress = new ConcurrentHashMap<>();
    private final LogRateLimit refusalLog = new LogRateLimit(LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
    private final LogRateLimit failureLog = new LogRateLimit(LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
    /** Touched only on the accept thread, as is {@code paused}. */
    private final Backoff acceptRetry =
            new Backoff(ACCEPT_RETRY_MIN_MILLIS, ACCEPT_RETRY_MAX_MILLIS, new SplittableRandom());
    private boolean paused;

    AcceptGuard(ListenerLimits limits, TransportStats stats) {
        this.limits = limits;
        this.stats = stats;
    }

    /** Accepted connections of this port that are open now. */
    int openConnections() {
        return open.get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
        Channel child = (Channel) accepted;
        acceptRetry.reset();
        InetAddress address = addressOf(child.remoteAddress());
        if (open.get() >= limits.maxConnections()) {
            stats.connectionRefusedPortFull();
            refuse(ctx, child, "the port", limits.maxConnections());
            return;
        }
        if (address != null && openPerAddress.getOrDefault(address, 0) >= limits.maxConnectionsPerAddress()) {
            stats.connectionRefusedAddressFull();
            refuse(ctx, child, "its address", limits.maxConnectionsPerAddress());
            return;
        }
        open.incrementAndGet();
        if (address != null) {
            openPerAddress.merge(address, 1, Integer::sum);
        }
        stats.connectionOpened();
        child.closeFuture().addListener(closed -> released(address));
        ctx.fireChannelRead(child);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Everything that reaches the listening socket's pipeline is a failed accept. Not passed on:
        // Netty's own handling would log it once more and re-enable accepting after its own delay.
        stats.acceptFailed();
        long unlogged = failureLog.permit();
        if (unlogged >= 0) {
            log.warn("port {}: accepting a connection failed ({}); accepting pauses, for up to {} ms at a time,"
                    + " and this is logged at most every {} s ({} failures since the last time)", port(ctx),
                    String.valueOf(cause), ACCEPT_RETRY_MAX_MILLIS, LOG_INTERVAL_SECONDS, unlogged);
        }
        pause(ctx);
    }

    private void pause(ChannelHandlerContext ctx) {
        if (paused) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        try {
            ctx.executor().schedule(() -> resume(ctx), acceptRetry.nextDelayMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            paused = false; // the transport is closing: nothing to resume
        }
    }

    private void resume(ChannelHandlerContext ctx) {
        paused = false;
        ctx.channel().config().setAutoRead(true); // which asks for the next accept
    }

    /** Closes {@code child} because {@code full} (the port, or its address) has {@code limit} connections open. */
    private void refuse(ChannelHandlerContext ctx, Channel child, String full, int limit) {
        // Not yet registered with an event loop: this closes the socket now, on this thread.
        child.unsafe().closeForcibly();
        long unlogged = refusalLog.permit();
        if (unlogged >= 0) {
            log.warn("port {}: refused a connection from {}: {} has {} connections open, its limit; logged at most"
                    + " every {} s ({} refused since the last time)", port(ctx), child.remoteAddress(), full, limit,
                    LOG_INTERVAL_SECONDS, unlogged);
        }
    }

    private void released(InetAddress address) {
        open.decrementAndGet();
        stats.connectionClosed();
        if (address != null) {
            openPerAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private static Object port(ChannelHandlerContext ctx) {
        SocketAddress local = ctx.channel().localAddress();
        return local instanceof InetSocketAddress inet ? inet.getPort() : local;
    }
}
