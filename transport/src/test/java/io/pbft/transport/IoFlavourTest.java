package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(NoLeaks.class)
class IoFlavourTest {

    private static final String HOST = "127.0.0.1";
    private static final TransportConfig CONFIG = new TransportConfig(64 * 1024, 64L * 1024 * 1024, 10, 200, 1);

    private final Closer closer = new Closer();

    @AfterEach
    void closeEverything() throws Exception {
        closer.closeAll();
    }

    @Test
    void nativeEpollIsPreferredWhereverItLoads() {
        IoFlavour expected = Epoll.isAvailable() && !Boolean.getBoolean(IoFlavour.FORCE_NIO_PROPERTY)
                ? IoFlavour.EPOLL : IoFlavour.NIO;

        assertThat(IoFlavour.preferred()).isEqualTo(expected);
    }

    @Test
    void theLinuxBuildCarriesTheNativeLibrary() {
        // The build ships the linux-x86_64 library; on that platform, failing to load it would
        // silently cost every replica its cheaper socket calls.
        if ("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))) {
            assertThat(Epoll.isAvailable()).as("epoll unavailable: %s", Epoll.unavailabilityCause()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void framesRoundTripOnEveryFlavourThatLoadsHere(IoFlavour flavour) throws Exception {
        if (flavour == IoFlavour.EPOLL && !Epoll.isAvailable()) {
            return; // nothing to run on; the test above fails on the platform the build targets
        }
        Transport transport = closer.track(new Transport(CONFIG, flavour));
        RecordingListener server = RecordingListener.echoing();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();
        byte[] frame = ("over " + flavour).getBytes(StandardCharsets.US_ASCII);

        assertThat(connection.send(frame)).isTrue();

        assertThat(server.awaitFrame().frame()).isEqualTo(frame);
        assertThat(client.awaitFrame().frame()).isEqualTo(frame);
        assertThat(transport.flavour()).isEqualTo(flavour);
    }
}
