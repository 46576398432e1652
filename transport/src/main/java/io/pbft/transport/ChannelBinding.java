package io.pbft.transport;

/** How the life of one Netty channel reaches whoever exposes it as a {@link Connection}. */
interface ChannelBinding {

    /** The channel became active; returns the connection to report to the {@link FrameListener}. */
    Connection opened(ChannelConnection channel);

    /** The channel went inactive. */
    void closed(ChannelConnection channel);
}
