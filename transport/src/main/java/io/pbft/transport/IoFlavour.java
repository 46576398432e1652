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
import java.util.function.Supplier;

/**
 * Which of Netty's socket implementations a {@link Transport} runs on. Native epoll where the
 * platform has it: it calls into the kernel with fewer copies and less bookkeeping per read and
 * write than the JDK's selector, and a replica does several socket operations per request. NIO
 * everywhere else, or when the system property {@value #FORCE_NIO_PROPERTY} is {@code true}.
 */
public enum IoFlavour {
    EPOLL(EpollIoHandler::newFactory, EpollSocketChannel.class, EpollServerSocketChannel.class),
    NIO(NioIoHandler::newFactory, NioSocketChannel.class, NioServerSocketChannel.class);

    /** Set to {@code true} to use NIO even where native epoll is available. */
    public static final String FORCE_NIO_PROPERTY = "pbft.transport.nio";

    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends ServerChannel> serverChannel;

    IoFlavour(Supplier<IoHandlerFactory> handlers, Class<? extends SocketChannel> socketChannel,
            Class<? extends ServerChannel> serverChannel) {
        this.handlers = handlers;
        this.socketChannel = socketChannel;
        this.serverChannel = serverChannel;
    }

    /** Native epoll if it loads here and NIO is not forced; NIO otherwise. */
    public static IoFlavour preferred() {
        return !Boolean.getBoolean(FORCE_NIO_PROPERTY) && Epoll.isAvailable() ? EPOLL : NIO;
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
