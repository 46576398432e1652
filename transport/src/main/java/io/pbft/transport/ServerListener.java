package io.pbft.transport;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A bound server channel and the connections it accepted, which close with it. */
final class ServerListener implements Listener, ChannelBinding {

    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final Transport transport;
    private final TransportStats stats;
    private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();
    private volatile Channel serverChannel;
    private volatile int port;
    private volatile boolean closed;

    ServerListener(Transport transport, TransportStats stats) {
        this.transport = transport;
        this.stats = stats;
    }

    void bound(Channel serverChannel, int port) {
        this.serverChannel = serverChannel;
        this.port = port;
    }

    /** Called from the child initializer of each accepted channel, before it becomes active. */
    void accepted(Channel channel) {
        stats.connectionAccepted();
        accepted.add(channel);
        channel.closeFuture().addListener(closed -> accepted.remove(channel));
        // Pairs with close(): whichever runs second sees the other's write and closes the channel.
        if (closed) {
            channel.close();
        }
    }

    @Override
    public Connection opened(ChannelConnection channel) {
        return channel;
    }

    @Override
    public void closed(ChannelConnection channel) {
        // Nothing to do: the close future removes the channel from the accepted set.
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Channel server = serverChannel;
        if (server != null) {
            var closing = server.close();
            // Wait so that the port is free when close() returns, unless we are on an I/O
            // thread, which must never block.
            if (!server.eventLoop().inEventLoop()) {
                closing.awaitUninterruptibly(CLOSE_WAIT_MILLIS);
            }
        }
        accepted.forEach(Channel::close);
        transport.forget(this);
    }

    @Override
    public String toString() {
        return "Listener[port=" + port + ", accepted=" + accepted.size() + "]";
    }
}
