package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        System.clearProperty(IoFlavour.PROPERTY);
    }

    @Test
    void theFirstFlavourThatLoadsIsPreferred() {
        IoFlavour expected = IoFlavour.IO_URING.isAvailable() ? IoFlavour.IO_URING
                : IoFlavour.EPOLL.isAvailable() ? IoFlavour.EPOLL : IoFlavour.NIO;

        assertThat(IoFlavour.preferred()).isEqualTo(expected);
    }

    @Test
    void theLinuxBuildCarriesTheNativeLibraries() {
        // The build ships the linux-x86_64 libraries; on that platform a failure to load one would
        // silently cost every replica its cheaper socket calls. (io_uring may be switched off by
        // the kernel or a sandbox; epoll cannot be.)
        assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")),
                "the build ships native libraries for linux-x86_64 only");

        assertThat(IoFlavour.EPOLL.isAvailable()).isTrue();
    }

    @Test
    void thePropertyNamesTheFlavour() {
        System.setProperty(IoFlavour.PROPERTY, "nio");

        assertThat(IoFlavour.preferred()).isEqualTo(IoFlavour.NIO);
    }

    @Test
    void anUnknownFlavourIsAClearError() {
        System.setProperty(IoFlavour.PROPERTY, "kqueue");

        assertThatThrownBy(IoFlavour::preferred).isInstanceOf(IllegalStateException.class)
                .hasMessage("-Dpbft.transport=kqueue: not one of io_uring, epoll, nio");
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void framesRoundTripOnEveryFlavourThatLoadsHere(IoFlavour flavour) throws Exception {
        assumeTrue(flavour.isAvailable(), flavour.displayName() + " does not load here");
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
