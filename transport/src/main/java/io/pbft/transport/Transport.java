package io.pbft.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Framed TCP byte channels on Netty (io_uring, epoll or NIO, whichever loads first: see
 * {@link IoFlavour}). Owns the event loops; every {@link Listener} and
 * {@link Connection} it made closes with it.
 *
 * <p>On the wire each frame is a 4-byte big-endian payload length followed by the payload.
 * Frames are opaque here: authentication belongs to the layers above.
 */
public final class Transport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    static {
        // Netty tracks 1 in 128 buffers for leaks by default and records a stack trace at every
        // touch of a tracked one: a profile of a loaded replica showed those traces at about 1% of
        // the machine. Our tests run with paranoid detection (see the pom); an operator chasing a
        // leak sets -Dio.netty.leakDetection.level, which this leaves alone.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** How long an outbound connect may hang (a peer that drops SYNs) before it counts as failed. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long BIND_TIMEOUT_MILLIS = 10_000;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private final TransportConfig config;
    private final TransportStats stats = new TransportStats();
    private final IoFlavour flavour;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Bootstrap clientPrototype;
    private final Set<ServerListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<ReconnectingConnection> connections = ConcurrentHashMap.newKeySet();
    /** Every channel not yet closed, accepted or outbound: closed, and awaited, before the loops stop. */
    private final Set<Channel> openChannels = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A transport on {@link IoFlavour#preferred()}. */
    public Transport(TransportConfig config) {
        this(config, IoFlavour.preferred());
    }

    public Transport(TransportConfig config, IoFlavour flavour) {
        this.config = Objects.requireNonNull(config, "config");
        this.flavour = Objects.requireNonNull(flavour, "flavour");
        // Daemon threads: a forgotten close() must not keep the JVM alive.
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("pbft-transport-accept", true), flavour.newHandlerFactory());
        this.ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("pbft-transport-io", true), flavour.newHandlerFactory());
        this.clientPrototype = new Bootstrap()
                .group(ioGroup)
                .channel(flavour.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Listens on {@code host:port} ({@code port} 0 picks a free one, see {@link Listener#port()}), with
     * the {@link TransportConfig#listenerLimits()}. Must not be called from an I/O thread (it waits
     * for the bind).
     */
    public Listener listen(String host, int port, FrameListener listener) throws IOException {
        return listen(host, port, listener, config.listenerLimits());
    }

    /**
     * As {@link #listen(String, int, FrameListener)}, with limits of its own for this port (a port whose
     * peers authenticate every frame needs no handshake, for example).
     */
    public Listener listen(String host, int port, FrameListener listener, ListenerLimits limits) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        ensureOpen();
        ServerListener server = new ServerListener(this, stats);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(flavour.serverChannel())
                .handler(new AcceptGuard(limits, stats))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        initAcceptedPipeline(channel, server, listener, limits);
                        server.accepted(channel);
                    }
                });
        ChannelFuture binding = bootstrap.bind(host, port);
        if (!binding.awaitUninterruptibly(BIND_TIMEOUT_MILLIS)) {
            binding.channel().close();
            throw new IOException("timed out binding " + host + ":" + port);
        }
        if (!binding.isSuccess()) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + binding.cause().getMessage(),
                    binding.cause());
        }
        Channel channel = binding.channel();
        server.bound(channel, ((InetSocketAddress) channel.localAddress()).getPort());
        listeners.add(server);
        if (closed) {
            server.close();
            throw new IllegalStateException("transport is closed");
        }
        log.debug("listening on {}:{}", host, server.port());
        return server;
    }

    /**
     * An outbound connection to {@code host:port} that connects in the background and
     * reconnects with exponential backoff (min..max, with jitter) forever until closed. Frames
     * sent while disconnected are dropped ({@code send} returns false): higher layers retransmit.
     */
    public ReconnectingConnection connect(String host, int port, FrameListener listener) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(listener, "listener");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
        }
        ensureOpen();
        ReconnectingConnection connection =
                new ReconnectingConnection(this, ioGroup, clientPrototype, host, port, listener);
        connections.add(connection);
        if (closed) {
            connection.close();
            throw new IllegalStateException("transport is closed");
        }
        connection.start();
        return connection;
    }

    /**
     * One of the I/O threads, for a caller that wants to run its own work on it (see
     * {@link IoThread}); with a single I/O thread, the one every connection uses.
     */
    public IoThread ioThread() {
        return new IoThread((EventLoop) ioGroup.next());
    }

    /** The socket implementation this transport runs on. */
    public IoFlavour flavour() {
        return flavour;
    }

    public TransportStats stats() {
        return stats;
    }

    public TransportConfig config() {
        return config;
    }

    /**
     * Closes every listener and connection, then stops the event loops and waits (bounded) for
     * them to terminate. Idempotent. Must not be called from an I/O thread.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List.copyOf(connections).forEach(ReconnectingConnection::close);
        List.copyOf(listeners).forEach(ServerListener::close);
        awaitChannelsClosed();
        Future<?> accept = acceptGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        Future<?> io = ioGroup.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        boolean terminated = accept.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS)
                & io.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
        if (!terminated) {
            log.warn("transport event loops did not terminate within {} ms", SHUTDOWN_TIMEOUT_MILLIS);
        }
    }

    /**
     * Closes what is still open and waits (bounded) until every channel has closed: a channel whose
     * close completes only after its event loop stopped (io_uring finishes some closes later) has
     * Netty log a RejectedExecutionException at WARN, in a user's log, for an orderly close.
     */
    private void awaitChannelsClosed() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_TIMEOUT_MILLIS);
        for (Channel channel : List.copyOf(openChannels)) {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!channel.close().awaitUninterruptibly(Math.max(0, leftMillis))) {
                log.debug("channel {} did not close within {} ms", channel, SHUTDOWN_TIMEOUT_MILLIS);
                return;
            }
        }
    }

    /** Installs the framing and the frame handler on a new outbound channel, authenticated from the start. */
    void initOutboundPipeline(Channel channel, ChannelBinding binding, FrameListener listener) {
        FrameDecoder decoder = new FrameDecoder(config.maxFrameBytes(), config.maxFrameBytes(), true);
        initPipeline(channel, binding, listener, new ChannelConnection(channel, config, stats, decoder), decoder);
    }

    /**
     * Installs on an accepted channel its timeouts, if its port has any, and the framing and the frame
     * handler, with the pre-handshake frame limit if its port has a handshake.
     */
    void initAcceptedPipeline(Channel channel, ChannelBinding binding, FrameListener listener, ListenerLimits limits) {
        FrameDecoder decoder = new FrameDecoder(config.maxFrameBytes(), limits.maxUnauthenticatedFrameBytes(),
                !limits.requiresHandshake());
        ChannelConnection connection = new ChannelConnection(channel, config, stats, decoder);
        if (ConnectionTimeouts.needed(limits)) {
            channel.pipeline().addLast("timeouts", new ConnectionTimeouts(connection, limits, stats));
        }
        initPipeline(channel, binding, listener, connection, decoder);
        // Holds the frames of a read that are left when the listener pauses the connection, so that
        // a pause takes effect at the next frame, not after every frame the read brought.
        channel.pipeline().addBefore("frames", "flowControl", new FlowControlHandler());
    }

    private void initPipeline(Channel channel, ChannelBinding binding, FrameListener listener,
            ChannelConnection connection, FrameDecoder decoder) {
        openChannels.add(channel);
        channel.closeFuture().addListener(closed -> openChannels.remove(channel));
        channel.pipeline()
                .addLast("frameDecoder", decoder)
                .addLast("frames", new FrameHandler(connection, binding, listener, stats, config.maxFrameBytes()));
    }

    void forget(ServerListener listener) {
        listeners.remove(listener);
    }

    void forget(ReconnectingConnection connection) {
        connections.remove(connection);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
    }
}
