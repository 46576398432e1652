package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a stranger with a plain socket can hold of a listening port: connections (issue 10, problem 3). */
@ExtendWith(NoLeaks.class)
class ListenerLimitsTest {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private final Closer closer = new Closer();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        closer.closeAll();
    }

    @Test
    void connectionsBeyondThePortLimitAreClosedAtOnceAndCountedWhileTheOpenOnesKeepWorking() throws Exception {
        Transport transport = transport(ListenerLimits.defaults().withMaxConnections(4, 4));
        Listener listener = closer.track(transport.listen(HOST, 0, RecordingListener.echoing()));
        Socket honest = served(listener);
        List<Socket> admitted = List.of(connect(listener), connect(listener), connect(listener));
        Await.until(() -> transport.stats().connectionsOpen() == 4, "four connections open");

        for (int i = 0; i < 5; i++) {
            assertThat(RawSockets.readUntilClosed(connect(listener))).as("bytes sent to a refused connection")
                    .isZero();
        }

        assertThat(transport.stats().connectionsRefusedPortFull()).isEqualTo(5);
        assertThat(transport.stats().connectionsRefusedAddressFull()).isZero();
        assertThat(transport.stats().connectionsOpen()).isEqualTo(4);
        assertThat(RawSockets.echo(honest, HELLO)).as("the honest connection still served").isEqualTo(HELLO);

        admitted.get(0).close();
        Await.until(() -> transport.stats().connectionsOpen() == 3, "a closed connection frees its place");
        served(listener);
    }

    @Test
    void connectionsBeyondTheLimitOfOneAddressAreClosedAtOnceAndCounted() throws Exception {
        Transport transport = transport(ListenerLimits.defaults().withMaxConnections(16, 2));
        Listener listener = closer.track(transport.listen(HOST, 0, RecordingListener.echoing()));
        Socket honest = served(listener);
        connect(listener);
        Await.until(() -> transport.stats().connectionsOpen() == 2, "two connections open");

        for (int i = 0; i < 3; i++) {
            assertThat(RawSockets.readUntilClosed(connect(listener))).isZero();
        }

        assertThat(transport.stats().connectionsRefusedAddressFull()).isEqualTo(3);
        assertThat(transport.stats().connectionsRefusedPortFull()).isZero();
        assertThat(RawSockets.echo(honest, HELLO)).isEqualTo(HELLO);
    }

    private Transport transport(ListenerLimits limits) {
        return closer.transport(new TransportConfig(MAX_FRAME_BYTES, 4L * MAX_FRAME_BYTES, 10, 200, 2)
                .withListenerLimits(limits));
    }

    /** A connection on which the listener echoed a {@link #HELLO}. */
    private Socket served(Listener listener) throws IOException {
        Socket socket = connect(listener);
        assertThat(RawSockets.echo(socket, HELLO)).isEqualTo(HELLO);
        return socket;
    }

    private Socket connect(Listener listener) throws IOException {
        Socket socket = RawSockets.connect(listener.port());
        sockets.add(socket);
        return socket;
    }
}
