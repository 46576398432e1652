package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handshake and idle timeouts of an accepted connection, on Netty's simulated time. */
@ExtendWith(NoLeaks.class)
class ConnectionTimeoutsTest {

    private static final long HANDSHAKE_MILLIS = 1_000;
    private static final long IDLE_MILLIS = 10_000;
    private static final TransportConfig CONFIG = new TransportConfig(1024, 4096, 10, 200, 1);

    private final TransportStats stats = new TransportStats();
    private EmbeddedChannel channel;

    @AfterEach
    void releaseEverything() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aConnectionIsClosedWhenItsHandshakeTimeoutPassesWithoutAHandshake() {
        accepted(ListenerLimits.defaults().withHandshakeTimeoutMillis(HANDSHAKE_MILLIS).withIdleTimeoutMillis(0));

        advanceMillis(HANDSHAKE_MILLIS - 1);
        assertThat(channel.isOpen()).isTrue();
        advanceMillis(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedHandshakeTimeout()).isEqualTo(1);
    }

    @Test
    void anAuthenticatedConnectionOutlivesTheHandshakeTimeout() {
        ChannelConnection connection = accepted(
                ListenerLimits.defaults().withHandshakeTimeoutMillis(HANDSHAKE_MILLIS).withIdleTimeoutMillis(0));

        connection.markAuthenticated();
        advanceMillis(10 * HANDSHAKE_MILLIS);

        assertThat(channel.isOpen()).isTrue();
        assertThat(stats.connectionsClosedHandshakeTimeout()).isZero();
    }

    @Test
    void aConnectionIsClosedAfterOneToTwoIdleTimeoutsWithoutAFrame() {
        accepted(ListenerLimits.defaults().withoutHandshake().withIdleTimeoutMillis(IDLE_MILLIS));
        advanceMillis(IDLE_MILLIS / 2);
        receiveAnEmptyFrame();

        advanceMillis(IDLE_MILLIS / 2); // a check: something arrived since the last one
        assertThat(channel.isOpen()).isTrue();
        advanceMillis(IDLE_MILLIS - 1);
        assertThat(channel.isOpen()).isTrue();
        advanceMillis(1); // the next check: nothing since the last, 1.5 timeouts after the frame

        assertThat(channel.isOpen()).isFalse();
        assertThat(stats.connectionsClosedIdle()).isEqualTo(1);
    }

    @Test
    void aConnectionOnWhichFramesKeepArrivingIsNeverIdle() {
        accepted(ListenerLimits.defaults().withoutHandshake().withIdleTimeoutMillis(IDLE_MILLIS));

        for (int i = 0; i < 100; i++) {
            receiveAnEmptyFrame();
            advanceMillis(IDLE_MILLIS);
        }

        assertThat(channel.isOpen()).isTrue();
        assertThat(stats.connectionsClosedIdle()).isZero();
    }

    @Test
    void aPortWithoutTimeoutsNeedsNoTimer() {
        assertThat(ConnectionTimeouts.needed(ListenerLimits.defaults().withoutHandshake().withIdleTimeoutMillis(0)))
                .isFalse();
        assertThat(ConnectionTimeouts.needed(ListenerLimits.defaults())).isTrue();
    }

    /** An active channel with the timeouts and the framing of an accepted connection, on frozen time. */
    private ChannelConnection accepted(ListenerLimits limits) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        FrameDecoder decoder = new FrameDecoder(CONFIG.maxFrameBytes(), limits.maxUnauthenticatedFrameBytes(),
                !limits.requiresHandshake());
        ChannelConnection connection = new ChannelConnection(channel, CONFIG, stats, decoder);
        channel.pipeline().addLast(new ConnectionTimeouts(connection, limits, stats), decoder);
        // The channel went active before its handlers were there, and before time was frozen.
        channel.pipeline().fireChannelActive();
        return connection;
    }

    private void receiveAnEmptyFrame() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[TransportConfig.LENGTH_PREFIX_BYTES]));
        ReferenceCountUtil.release(channel.readInbound());
    }

    private void advanceMillis(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
