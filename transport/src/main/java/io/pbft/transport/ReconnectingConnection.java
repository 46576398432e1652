package io.pbft.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbound connection that keeps itself connected: after a failed connect or a close it
 * retries after an exponential backoff with jitter, forever, until {@link #close()}. It is the
 * same {@link Connection} object across reconnects; the {@link FrameListener} sees
 * {@code onOpen} after each successful connect (time to re-handshake) and {@code onClose}
 * after each loss. Frames sent while disconnected are dropped: higher layers retransmit.
 */
public final class ReconnectingConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(ReconnectingConnection.class);

    private final long id = ConnectionIds.next();
    private final Transport transport;
    private final String host;
    private final int port;
    private final int maxFrameBytes;
    private final TransportStats stats;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Backoff backoff;
    private final ChannelBinding binding = new Binding();
    private final FrameListener listener;
    /** The connected channel, or null while (re)connecting. */
    private volatile ChannelConnection current;
    private volatile boolean closed;
    // Guarded by this: the channel of the latest attempt (connecting or connected) and the pending retry.
    private Channel attemptChannel;
    private ScheduledFuture<?> retry;

    ReconnectingConnection(Transport transport, EventLoopGroup group, Bootstrap prototype, String host, int port,
            FrameListener listener) {
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.maxFrameBytes = transport.config().maxFrameBytes();
        this.stats = transport.stats();
        this.group = group;
        this.listener = listener;
        this.backoff = new Backoff(transport.config().reconnectMinMillis(), transport.config().reconnectMaxMillis(),
                new SplittableRandom());
        this.bootstrap = prototype.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                transport.initOutboundPipeline(channel, binding, listener);
            }
        });
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        return host + ":" + port;
    }

    @Override
    public boolean isOpen() {
        ChannelConnection connected = current;
        return !closed && connected != null && connected.isOpen();
    }

    @Override
    public boolean send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        ChannelConnection connected = current;
        if (connected != null && !closed) {
            return connected.send(frame);
        }
        // Oversize is the caller's bug whatever the connection state: count it as such.
        if (frame.length > maxFrameBytes) {
            stats.frameRejectedOversized();
        } else {
            stats.frameDroppedNotConnected();
        }
        return false;
    }

    /** Stops reconnecting and closes the current channel, if any. Idempotent. */
    @Override
    public void close() {
        Channel channel;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            channel = attemptChannel;
            attemptChannel = null;
        }
        if (channel != null) {
            channel.close();
        }
        transport.forget(this);
    }

    /** Nothing to do: we chose whom to connect to, so our outbound connections start authenticated. */
    @Override
    public void markAuthenticated() {}

    /** Bytes accepted by {@link #send} and not yet written to the socket on the current channel. */
    public long queuedBytes() {
        ChannelConnection connected = current;
        return connected == null ? 0 : connected.queuedBytes();
    }

    void start() {
        attempt();
    }

    private void attempt() {
        ChannelFuture connecting;
        synchronized (this) {
            retry = null;
            if (closed) {
                return;
            }
            connecting = bootstrap.connect(host, port);
            attemptChannel = connecting.channel();
        }
        // Both a failed connect and a later close end this attempt; only the first schedules a retry.
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                scheduleRetry();
            }
        };
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                log.debug("connect to {}:{} failed: {}", host, port, String.valueOf(done.cause()));
                end.run();
                connectFailed(done.cause());
            }
        });
        connecting.channel().closeFuture().addListener(done -> end.run());
    }

    private void connectFailed(Throwable cause) {
        if (closed) {
            return;
        }
        try {
            listener.onConnectFailed(this, cause);
        } catch (RuntimeException e) {
            log.warn("listener of the connection to {}:{} failed on a failed connect", host, port, e);
        }
    }

    private synchronized void scheduleRetry() {
        if (closed) {
            return;
        }
        long delayMillis = backoff.nextDelayMillis();
        try {
            retry = group.schedule(this::retryNow, delayMillis, TimeUnit.MILLISECONDS);
            log.debug("reconnecting to {}:{} in {} ms", host, port, delayMillis);
        } catch (RejectedExecutionException e) {
            log.debug("not reconnecting to {}:{}: transport is shutting down", host, port);
        }
    }

    private void retryNow() {
        if (closed) {
            return;
        }
        stats.reconnectAttempt();
        attempt();
    }

    @Override
    public String toString() {
        return "ReconnectingConnection[id=" + id + ", remote=" + remoteAddress() + ", open=" + isOpen() + "]";
    }

    private final class Binding implements ChannelBinding {

        @Override
        public Connection opened(ChannelConnection channel) {
            synchronized (ReconnectingConnection.this) {
                backoff.reset();
                current = channel;
            }
            if (closed) {
                channel.close();
            }
            return ReconnectingConnection.this;
        }

        @Override
        public void closed(ChannelConnection channel) {
            synchronized (ReconnectingConnection.this) {
                if (current == channel) {
                    current = null;
                }
            }
        }
    }
}
