package io.pbft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Netty channel as a {@link Connection}: an accepted connection on the server side, or the
 * current channel of a {@link ReconnectingConnection}.
 *
 * <p>Writes never flush on their own. The first write of an event-loop turn schedules one flush
 * task behind it, so every frame queued before that task runs goes out in the same syscall.
 */
final class ChannelConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(ChannelConnection.class);

    private final long id = ConnectionIds.next();
    private final Channel channel;
    private final int maxFrameBytes;
    private final OutboundBudget budget;
    private final TransportStats stats;
    private final FrameDecoder decoder;
    private final Runnable flushTask = this::flushNow;
    private volatile String remoteAddress;
    /** Touched only on the channel's event loop. */
    private boolean flushScheduled;

    /** @param decoder the decoder of this channel's pipeline, which holds whether it is authenticated */
    ChannelConnection(Channel channel, TransportConfig config, TransportStats stats, FrameDecoder decoder) {
        this.channel = channel;
        this.maxFrameBytes = config.maxFrameBytes();
        this.budget = new OutboundBudget(config.maxQueuedBytesPerConnection());
        this.stats = stats;
        this.decoder = decoder;
        this.remoteAddress = describe(channel.remoteAddress());
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public boolean send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length > maxFrameBytes) {
            stats.frameRejectedOversized();
            log.debug("refused outbound frame of {} bytes to {} (limit {})", frame.length, remoteAddress, maxFrameBytes);
            return false;
        }
        if (!channel.isActive()) {
            stats.frameDroppedNotConnected();
            return false;
        }
        int wireBytes = frame.length + TransportConfig.LENGTH_PREFIX_BYTES;
        if (!budget.tryAcquire(wireBytes)) {
            stats.frameDroppedQueueFull();
            return false;
        }
        ByteBuf buf = null;
        try {
            buf = channel.alloc().ioBuffer(wireBytes);
            buf.writeInt(frame.length).writeBytes(frame);
            EventLoop loop = channel.eventLoop();
            if (loop.inEventLoop()) {
                write(buf, wireBytes);
            } else {
                ByteBuf queued = buf;
                loop.execute(() -> write(queued, wireBytes));
            }
            return true;
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down: the transport is closing.
            if (buf != null) {
                buf.release();
            }
            budget.release(wireBytes);
            stats.frameDroppedNotConnected();
            return false;
        } catch (RuntimeException | Error e) {
            if (buf != null) {
                buf.release();
            }
            budget.release(wireBytes);
            throw e;
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void markAuthenticated() {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            decoder.authenticate();
            return;
        }
        try {
            loop.execute(decoder::authenticate);
        } catch (RejectedExecutionException e) {
            // The transport is closing, and this connection with it.
        }
    }

    @Override
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        // Netty asks the channel for a read, on its event loop, which first delivers the held frames.
        channel.config().setAutoRead(true);
    }

    /** Whether {@link #markAuthenticated} took effect. Only on the channel's event loop. */
    boolean isAuthenticated() {
        return decoder.isAuthenticated();
    }

    /** Bytes accepted by {@link #send} and not yet written to the socket. */
    long queuedBytes() {
        return budget.queuedBytes();
    }

    Channel channel() {
        return channel;
    }

    /** Called on the event loop once the channel is connected, when the peer's address is known. */
    void markActive() {
        remoteAddress = describe(channel.remoteAddress());
    }

    private void write(ByteBuf buf, int wireBytes) {
        ChannelPromise promise = channel.newPromise();
        promise.addListener(written -> onWritten(written, wireBytes));
        channel.write(buf, promise);
        if (!flushScheduled) {
            flushScheduled = true;
            try {
                channel.eventLoop().execute(flushTask);
            } catch (RejectedExecutionException e) {
                flushNow();
            }
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    private void onWritten(Future<?> written, int wireBytes) {
        budget.release(wireBytes);
        if (written.isSuccess()) {
            stats.frameSent(wireBytes - TransportConfig.LENGTH_PREFIX_BYTES);
        } else {
            stats.writeFailed();
            log.debug("write of {} bytes to {} failed: {}", wireBytes, remoteAddress, String.valueOf(written.cause()));
        }
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return address == null ? "unconnected" : address.toString();
    }

    @Override
    public String toString() {
        return "Connection[id=" + id + ", remote=" + remoteAddress + "]";
    }
}
