package io.pbft.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Which of Netty's socket implementations a {@link Transport} runs on: the first of io_uring,
 * epoll and NIO that loads here, unless the system property {@value #PROPERTY} names one.
 *
 * <p>Why this order: a replica makes several socket calls per request, and on the 2-core
 * benchmark machine (a virtual machine, where every system call and wake-up is expensive) the
 * kernel was the largest consumer of CPU. io_uring hands the kernel many sends and receives per
 * call, and the replicas then also read more requests per turn, so batches grow: 32 clients gave
 * 13,970 ops/s with 31.6 requests per batch on io_uring against 8,790 and 13.1 on epoll, in runs
 * back to back. Epoll in turn does less per call than the JDK's selector. Where io_uring is
 * disabled (some containers forbid it) or the platform lacks both, the next one is used.
 */
public enum IoFlavour {
    IO_URING(IoUring::isAvailable, IoUringIoHandler::newFactory, IoUringSocketChannel.class,
            IoUringServerSocketChannel.class),
    EPOLL(Epoll::isAvailable, EpollIoHandler::newFactory, EpollSocketChannel.class, EpollServerSocketChannel.class),
    NIO(() -> true, NioIoHandler::newFactory, NioSocketChannel.class, NioServerSocketChannel.class);

    /** Names the flavour to use ({@code io_uring}, {@code epoll} or {@code nio}) instead of the first that loads. */
    public static final String PROPERTY = "pbft.transport";

    /** Netty's switch for io_uring's multishot accept, which we turn off unless it is set. */
    static final String MULTISHOT_ACCEPT_PROPERTY = "io.netty.iouring.acceptMultiShotEnabled";

    static {
        // A multishot accept re-arms itself after a failed accept, whatever auto-read says: out of
        // file descriptors, a listening socket then failed and retried in a tight loop (45% CPU,
        // 190,000 warnings in 6 seconds) instead of pausing as AcceptGuard asks. A single-shot
        // accept waits to be asked again; accepting is rare enough here for its cost not to show.
        // Set before Netty's IoUring class loads, which reads it once; an operator's -D wins.
        if (System.getProperty(MULTISHOT_ACCEPT_PROPERTY) == null) {
            System.setProperty(MULTISHOT_ACCEPT_PROPERTY, "false");
        }
    }

    private final BooleanSupplier available;
    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends ServerChannel> serverChannel;

    IoFlavour(BooleanSupplier available, Supplier<IoHandlerFactory> handlers,
            Class<? extends SocketChannel> socketChannel, Class<? extends ServerChannel> serverChannel) {
        this.available = available;
        this.handlers = handlers;
        this.socketChannel = socketChannel;
        this.serverChannel = serverChannel;
    }

    /**
     * The flavour {@value #PROPERTY} names, or the first that loads here.
     *
     * @throws IllegalStateException if the property names an unknown flavour or one that does not load here
     */
    public static IoFlavour preferred() {
        String named = System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            IoFlavour flavour = byName(named.trim());
            if (!flavour.isAvailable()) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + named + ": " + flavour.displayName()
                        + " does not load on this platform");
            }
            return flavour;
        }
        for (IoFlavour flavour : values()) {
            if (flavour.isAvailable()) {
                return flavour;
            }
        }
        return NIO;
    }

    private static IoFlavour byName(String name) {
        for (IoFlavour flavour : values()) {
            if (flavour.displayName().equals(name.toLowerCase(Locale.ROOT))) {
                return flavour;
            }
        }
        throw new IllegalStateException("-D" + PROPERTY + "=" + name + ": not one of io_uring, epoll, nio");
    }

    /** Whether its native library loads here (NIO always does). */
    public boolean isAvailable() {
        return available.getAsBoolean();
    }

    /** {@code io_uring}, {@code epoll} or {@code nio}, as {@value #PROPERTY} takes it. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    IoHandlerFactory newHandlerFactory() {
        return handlers.get();
    }

    Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }
}
