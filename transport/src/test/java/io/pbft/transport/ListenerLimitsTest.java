package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.testing.Await;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a stranger with a plain socket can hold of a listening port: connections, time before its
 * handshake, idle time, and memory before its handshake (issue 10, problems 3 and 4). The timings
 * of the timeouts themselves are tested on simulated time, in {@link ConnectionTimeoutsTest}.
 */
@ExtendWith(NoLeaks.class)
class ListenerLimitsTest {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final int MAX_UNAUTHENTICATED_FRAME_BYTES = 64;
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    /** Short, so that the tests need not wait long; nothing here depends on how long they take. */
    private static final long SHORT_TIMEOUT_MILLIS = 100;

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
        Transport transport = transport(ListenerLimits.defaults().withoutHandshake().withMaxConnections(4, 4));
        Listener listener = closer.track(transport.listen(HOST, 0, authenticatingEcho()));
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
        Transport transport = transport(ListenerLimits.defaults().withoutHandshake().withMaxConnections(16, 2));
        Listener listener = closer.track(transport.listen(HOST, 0, authenticatingEcho()));
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

    @Test
    void aConnectionThatNeverHandshakesIsClosedAndCounted() throws Exception {
        Transport transport = transport(ListenerLimits.defaults().withHandshakeTimeoutMillis(SHORT_TIMEOUT_MILLIS));
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));

        assertThat(RawSockets.readUntilClosed(connect(listener))).isZero();

        server.awaitClose();
        assertThat(transport.stats().connectionsClosedHandshakeTimeout()).isEqualTo(1);
        assertThat(transport.stats().connectionsOpen()).isZero();
    }

    @Test
    void aLengthOverThePreHandshakeLimitClosesTheConnectionBeforeAnyPayloadArrives() throws Exception {
        Transport transport = transport(ListenerLimits.defaults());
        RecordingListener server = authenticatingEcho();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        Socket stranger = connect(listener);

        // The length of a frame the transport takes from an authenticated peer, and not one byte of
        // it: the close must come from the length alone, before anything is buffered for it.
        new DataOutputStream(stranger.getOutputStream()).writeInt(MAX_FRAME_BYTES);

        assertThat(RawSockets.readUntilClosed(stranger)).isZero();
        server.awaitClose();
        assertThat(server.frames).isEmpty();
        assertThat(transport.stats().framesRejectedBeforeHandshake()).isEqualTo(1);
        assertThat(transport.stats().connectionsClosedOnError()).isEqualTo(1);
        assertThat(transport.stats().framesRejectedOversized()).isZero();
    }

    @Test
    void framesUpToThePreHandshakeLimitArriveBeforeTheHandshakeAndFullSizeOnesAfterIt() throws Exception {
        Transport transport = transport(ListenerLimits.defaults());
        Listener listener = closer.track(transport.listen(HOST, 0, authenticatingEcho()));
        Socket peer = connect(listener);
        byte[] largestBefore = new byte[MAX_UNAUTHENTICATED_FRAME_BYTES];
        largestBefore[0] = 1;
        byte[] largestAfter = new byte[MAX_FRAME_BYTES];
        largestAfter[MAX_FRAME_BYTES - 1] = 2;

        assertThat(RawSockets.echo(peer, largestBefore)).isEqualTo(largestBefore);
        assertThat(RawSockets.echo(peer, HELLO)).isEqualTo(HELLO);
        assertThat(RawSockets.echo(peer, largestAfter)).isEqualTo(largestAfter);

        assertThat(transport.stats().framesRejectedBeforeHandshake()).isZero();
    }

    @Test
    void aConnectionFromWhichNothingArrivesIsClosedAfterTheIdleTimeoutAndCounted() throws Exception {
        Transport transport = transport(ListenerLimits.defaults().withoutHandshake()
                .withIdleTimeoutMillis(SHORT_TIMEOUT_MILLIS));
        RecordingListener server = authenticatingEcho();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        Socket quiet = served(listener);

        assertThat(RawSockets.readUntilClosed(quiet)).isZero();

        server.awaitClose();
        assertThat(transport.stats().connectionsClosedIdle()).isEqualTo(1);
        assertThat(transport.stats().connectionsClosedHandshakeTimeout()).isZero();
    }

    @Test
    void outboundConnectionsAreAuthenticatedFromTheStart() throws Exception {
        // Both ends in one transport: the listener takes no handshake, and its echo of a full-size
        // frame reaches our outbound connection, which never completed one.
        Transport transport = transport(ListenerLimits.defaults().withoutHandshake());
        Listener listener = closer.track(transport.listen(HOST, 0, RecordingListener.echoing()));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();
        byte[] frame = new byte[MAX_FRAME_BYTES];

        assertThat(connection.send(frame)).isTrue();

        assertThat(client.awaitFrame().frame()).hasSize(MAX_FRAME_BYTES);
        assertThat(transport.stats().framesRejectedBeforeHandshake()).isZero();
    }

    private Transport transport(ListenerLimits limits) {
        return closer.transport(new TransportConfig(MAX_FRAME_BYTES, 4L * MAX_FRAME_BYTES, 10, 200, 2)
                .withListenerLimits(limits.withMaxUnauthenticatedFrameBytes(MAX_UNAUTHENTICATED_FRAME_BYTES)));
    }

    /** Echoes every frame; a {@link #HELLO} authenticates its connection first, as a handshake would. */
    private static RecordingListener authenticatingEcho() {
        return new RecordingListener((connection, frame) -> {
            if (Arrays.equals(frame, HELLO)) {
                connection.markAuthenticated();
            }
            connection.send(frame);
        });
    }

    /** A connection on which the listener echoed (and so authenticated) a {@link #HELLO}. */
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
