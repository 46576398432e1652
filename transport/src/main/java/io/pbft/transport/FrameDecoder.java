package io.pbft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames (a 4-byte big-endian length, then that many bytes), each a
 * slice of the received bytes. The length is checked as soon as its 4 bytes are in, so a frame
 * over the limit closes the connection before a byte of its payload is buffered.
 *
 * <p>The limit is {@link TransportConfig#maxFrameBytes()} once the connection is authenticated and
 * the far smaller {@link ListenerLimits#maxUnauthenticatedFrameBytes()} before: a stranger who
 * never completes a handshake holds at most that much of our memory per connection. (Before this
 * limit, 200 connections each announcing and sending most of an 8 MiB frame took a replica from
 * 156 MB to its direct memory limit.) Netty's {@code LengthFieldBasedFrameDecoder} does the same
 * splitting, but its limit is fixed at construction.
 *
 * <p>Used only on the channel's event loop. The per-frame work is what the Netty decoder did.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    /** A frame longer than the limit before the handshake, but within the limit after it. */
    static final class TooLongBeforeHandshakeException extends DecoderException {
        private static final long serialVersionUID = 1L;

        TooLongBeforeHandshakeException(long lengthBytes, int limitBytes) {
            super("frame of " + lengthBytes + " bytes announced before the handshake, over its limit of "
                    + limitBytes);
        }
    }

    private final int maxFrameBytes;
    private final int maxUnauthenticatedFrameBytes;
    private int limitBytes;
    private boolean authenticated;
    /** After a frame over the limit: everything else that arrives is dropped while the channel closes. */
    private boolean discarding;

    /**
     * @param authenticated whether the connection starts authenticated (outbound ones, and those of a
     *     port without a handshake), so that only {@code maxFrameBytes} applies
     */
    FrameDecoder(int maxFrameBytes, int maxUnauthenticatedFrameBytes, boolean authenticated) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxUnauthenticatedFrameBytes = Math.min(maxUnauthenticatedFrameBytes, maxFrameBytes);
        this.authenticated = authenticated;
        this.limitBytes = authenticated ? maxFrameBytes : this.maxUnauthenticatedFrameBytes;
    }

    /** From now on frames up to the full limit are accepted. */
    void authenticate() {
        authenticated = true;
        limitBytes = maxFrameBytes;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < TransportConfig.LENGTH_PREFIX_BYTES) {
            return;
        }
        long lengthBytes = in.getUnsignedInt(in.readerIndex());
        if (lengthBytes > limitBytes) {
            discarding = true;
            in.skipBytes(in.readableBytes());
            if (lengthBytes > maxFrameBytes) {
                throw new TooLongFrameException(
                        "frame of " + lengthBytes + " bytes, over the limit of " + maxFrameBytes);
            }
            throw new TooLongBeforeHandshakeException(lengthBytes, maxUnauthenticatedFrameBytes);
        }
        if (in.readableBytes() - TransportConfig.LENGTH_PREFIX_BYTES < lengthBytes) {
            return;
        }
        in.skipBytes(TransportConfig.LENGTH_PREFIX_BYTES);
        out.add(in.readRetainedSlice((int) lengthBytes));
    }
}
