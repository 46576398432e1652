package io.pbft.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an accepted connection that has not completed its handshake within
 * {@link ListenerLimits#handshakeTimeoutMillis()}, or from which nothing arrived for
 * {@link ListenerLimits#idleTimeoutMillis()}: otherwise a connection that says nothing holds its
 * descriptor and buffers for as long as its peer likes.
 *
 * <p>Idleness is checked by a timer every {@code idleTimeoutMillis}, not measured per read: a read
 * only sets a flag, so a busy connection pays nothing for it, and an idle one is closed between one
 * and two timeouts after its last read. Only on the channel's event loop.
 */
final class ConnectionTimeouts extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTimeouts.class);

    private final ChannelConnection connection;
    private final ListenerLimits limits;
    private final TransportStats stats;
    private ScheduledFuture<?> handshakeCheck;
    private ScheduledFuture<?> idleCheck;
    private boolean readSinceIdleCheck;

    ConnectionTimeouts(ChannelConnection connection, ListenerLimits limits, TransportStats stats) {
        this.connection = connection;
        this.limits = limits;
        this.stats = stats;
    }

    /** Whether {@code limits} asks for any timer, i.e. whether this handler is needed at all. */
    static boolean needed(ListenerLimits limits) {
        return limits.requiresHandshake() || limits.idleTimeoutMillis() > 0;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (limits.requiresHandshake() && !connection.isAuthenticated()) {
            handshakeCheck = ctx.executor().schedule(() -> handshakeDue(ctx), limits.handshakeTimeoutMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (limits.idleTimeoutMillis() > 0) {
            scheduleIdleCheck(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readSinceIdleCheck = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel(handshakeCheck);
        cancel(idleCheck);
        ctx.fireChannelInactive();
    }

    private void handshakeDue(ChannelHandlerContext ctx) {
        if (connection.isAuthenticated() || !ctx.channel().isOpen()) {
            return;
        }
        stats.connectionClosedHandshakeTimeout();
        log.debug("closing {}: no handshake within {} ms", connection, limits.handshakeTimeoutMillis());
        ctx.close();
    }

    private void idleDue(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        // Paused by the layer above (Connection.pauseReading): its peer was busy, not idle.
        if (readSinceIdleCheck || !ctx.channel().config().isAutoRead()) {
            readSinceIdleCheck = false;
            scheduleIdleCheck(ctx);
            return;
        }
        stats.connectionClosedIdle();
        log.debug("closing {}: nothing received for {} ms", connection, limits.idleTimeoutMillis());
        ctx.close();
    }

    private void scheduleIdleCheck(ChannelHandlerContext ctx) {
        idleCheck = ctx.executor().schedule(() -> idleDue(ctx), limits.idleTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> check) {
        if (check != null) {
            check.cancel(false);
        }
    }
}
