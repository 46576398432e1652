package io.pbft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of every pipeline: copies each decoded frame out to a {@code byte[]} (the buffer
 * is released on return) and hands it to the {@link FrameListener}; shields the event loop from
 * listener exceptions; closes the channel on any pipeline error.
 */
final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

    private final ChannelConnection channelConnection;
    private final ChannelBinding binding;
    private final FrameListener listener;
    private final TransportStats stats;
    private final int maxFrameBytes;
    private Connection reported;

    FrameHandler(ChannelConnection channelConnection, ChannelBinding binding, FrameListener listener,
            TransportStats stats, int maxFrameBytes) {
        super(ByteBuf.class, true);
        this.channelConnection = channelConnection;
        this.binding = binding;
        this.listener = listener;
        this.stats = stats;
        this.maxFrameBytes = maxFrameBytes;
        this.reported = channelConnection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channelConnection.markActive();
        reported = binding.opened(channelConnection);
        try {
            listener.onOpen(reported);
        } catch (RuntimeException e) {
            listenerFailed("onOpen", e);
        }
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frameBuf) {
        byte[] frame = ByteBufUtil.getBytes(frameBuf);
        stats.frameReceived(frame.length);
        try {
            listener.onFrame(reported, frame);
        } catch (RuntimeException e) {
            listenerFailed("onFrame", e);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        binding.closed(channelConnection);
        try {
            listener.onClose(reported);
        } catch (RuntimeException e) {
            listenerFailed("onClose", e);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameDecoder.TooLongBeforeHandshakeException) {
            stats.frameRejectedBeforeHandshake();
            log.debug("closing {}: {}", reported, cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            stats.frameRejectedOversized();
            // Anyone can open a connection and send a huge length: only a peer that authenticated
            // is worth a warning, and a stranger cannot fill the log this way.
            if (channelConnection.isAuthenticated()) {
                log.warn("closing {}: inbound frame over {} bytes ({})", reported, maxFrameBytes, cause.getMessage());
            } else {
                log.debug("closing {}: {}", reported, cause.getMessage());
            }
        } else if (cause instanceof IOException) {
            log.debug("closing {}: {}", reported, String.valueOf(cause));
        } else {
            log.warn("closing {} after an error in its pipeline", reported, cause);
        }
        if (ctx.channel().isOpen()) {
            stats.connectionClosedOnError();
        }
        ctx.close();
    }

    private void listenerFailed(String callback, RuntimeException e) {
        stats.listenerFailed();
        log.warn("frame listener {} threw on {}; connection kept", callback, reported, e);
    }
}
