package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransportConfigTest {

    @Test
    void defaultsAreEightMibFramesSixtyFourMibQueuedAndFiftyToTwoThousandMillisBackoff() {
        TransportConfig config = TransportConfig.defaults();

        assertThat(config.maxFrameBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(config.maxQueuedBytesPerConnection()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.reconnectMinMillis()).isEqualTo(50);
        assertThat(config.reconnectMaxMillis()).isEqualTo(2_000);
        assertThat(config.ioThreads()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void rejectsNonPositiveFrameLimit() {
        assertThatThrownBy(() -> new TransportConfig(0, 1024, 50, 2000, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameBytes");
    }

    @Test
    void rejectsFrameLimitThatOverflowsWithThePrefix() {
        assertThatThrownBy(() -> new TransportConfig(Integer.MAX_VALUE, Long.MAX_VALUE, 50, 2000, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameBytes");
    }

    @Test
    void rejectsQueueBoundTooSmallForOneMaximalFrame() {
        assertThatThrownBy(() -> new TransportConfig(1000, 1003, 50, 2000, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxQueuedBytesPerConnection")
                .hasMessageContaining("1004");
        assertThat(new TransportConfig(1000, 1004, 50, 2000, 2).maxQueuedBytesPerConnection()).isEqualTo(1004);
    }

    @Test
    void rejectsReconnectMinimumBelowOneMillisecond() {
        assertThatThrownBy(() -> new TransportConfig(1000, 4096, 0, 2000, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconnectMinMillis");
    }

    @Test
    void rejectsReconnectMaximumBelowMinimum() {
        assertThatThrownBy(() -> new TransportConfig(1000, 4096, 100, 99, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconnectMaxMillis");
    }

    @Test
    void rejectsZeroIoThreads() {
        assertThatThrownBy(() -> new TransportConfig(1000, 4096, 50, 2000, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioThreads");
    }

    @Test
    void rejectsAPerAddressLimitAboveThePortLimit() {
        assertThatThrownBy(() -> ListenerLimits.defaults().withMaxConnections(10, 11))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnectionsPerAddress");
    }

    @Test
    void rejectsNegativeTimeouts() {
        assertThatThrownBy(() -> ListenerLimits.defaults().withHandshakeTimeoutMillis(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("handshakeTimeoutMillis");
        assertThatThrownBy(() -> ListenerLimits.defaults().withIdleTimeoutMillis(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleTimeoutMillis");
    }

    @Test
    void aPortWithoutHandshakeKeepsItsConnectionCaps() {
        ListenerLimits limits = ListenerLimits.defaults().withMaxConnections(100, 10).withoutHandshake();

        assertThat(limits.requiresHandshake()).isFalse();
        assertThat(limits.maxConnections()).isEqualTo(100);
        assertThat(limits.maxConnectionsPerAddress()).isEqualTo(10);
    }
}
