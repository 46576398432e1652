package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a broken or hostile peer can do with raw bytes, written with a plain socket. */
@ExtendWith(NoLeaks.class)
class InboundDefenceTest {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_FRAME_BYTES = 1024;
    private static final TransportConfig CONFIG = new TransportConfig(MAX_FRAME_BYTES, 1024 * 1024, 10, 200, 2);

    private final Closer closer = new Closer();

    @AfterEach
    void closeEverything() throws Exception {
        closer.closeAll();
    }

    @Test
    void anOversizedLengthPrefixClosesTheConnectionAndIsCounted() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));

        try (Socket peer = rawPeer(listener)) {
            new DataOutputStream(peer.getOutputStream()).writeInt(MAX_FRAME_BYTES + 1);

            assertThat(RawSockets.readUntilClosed(peer)).as("bytes the server sent back").isZero();
        }

        Connection accepted = server.awaitOpen();
        assertThat(server.awaitClose()).isSameAs(accepted);
        assertThat(server.frames).isEmpty();
        assertThat(transport.stats().framesRejectedOversized()).isEqualTo(1);
        assertThat(transport.stats().connectionsClosedOnError()).isEqualTo(1);
    }

    @Test
    void aLengthPrefixWithTheTopBitSetIsOversizedNotNegative() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));

        try (Socket peer = rawPeer(listener)) {
            new DataOutputStream(peer.getOutputStream()).writeInt(0xFFFF_FFFF);

            assertThat(RawSockets.readUntilClosed(peer)).isZero();
        }

        server.awaitClose();
        assertThat(transport.stats().framesRejectedOversized()).isEqualTo(1);
    }

    @Test
    void aFrameOfExactlyTheLimitIsDeliveredFromARawPeer() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        byte[] payload = new byte[MAX_FRAME_BYTES];
        payload[MAX_FRAME_BYTES - 1] = 42;

        try (Socket peer = rawPeer(listener)) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(MAX_FRAME_BYTES);
            out.write(payload);
            out.flush();

            assertThat(server.awaitFrame().frame()).isEqualTo(payload);
        }
        assertThat(transport.stats().framesRejectedOversized()).isZero();
    }

    @Test
    void aTruncatedFrameThenCloseDeliversNothingAndLeavesTheTransportWorking() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));

        try (Socket peer = rawPeer(listener)) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(100);
            out.write(new byte[10]);
            out.flush();
        }
        server.awaitOpen();
        server.awaitClose();

        assertThat(server.frames).isEmpty();
        assertThat(transport.stats().framesReceived()).isZero();
        assertThat(transport.stats().framesRejectedOversized()).isZero();
        assertWorking(transport, listener, server);
    }

    @Test
    void aPartialLengthPrefixThenCloseDeliversNothingAndLeavesTheTransportWorking() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));

        try (Socket peer = rawPeer(listener)) {
            peer.getOutputStream().write(new byte[] {0, 0, 1});
            peer.getOutputStream().flush();
        }
        server.awaitOpen();
        server.awaitClose();

        assertThat(server.frames).isEmpty();
        assertWorking(transport, listener, server);
    }

    @Test
    void validFramesBeforeGarbageAreDeliveredAndTheGarbageClosesOnlyThatConnection() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener bystander = new RecordingListener();
        Connection other = closer.track(transport.connect(HOST, listener.port(), bystander));
        bystander.awaitOpen();

        try (Socket peer = rawPeer(listener)) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(2);
            out.write(new byte[] {7, 8});
            out.writeInt(Integer.MAX_VALUE);
            out.write(new byte[64]);
            out.flush();

            assertThat(RawSockets.readUntilClosed(peer)).isZero();
        }

        assertThat(server.awaitFrame().frame()).containsExactly(7, 8);
        assertThat(transport.stats().framesRejectedOversized()).isEqualTo(1);
        assertThat(other.isOpen()).isTrue();
        assertThat(other.send(new byte[] {9})).isTrue();
        assertThat(server.awaitFrame().frame()).containsExactly(9);
    }

    private static Socket rawPeer(Listener listener) throws IOException {
        return RawSockets.connect(listener.port());
    }

    private void assertWorking(Transport transport, Listener listener, RecordingListener server) throws Exception {
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();
        assertThat(connection.send("after the garbage".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(server.awaitFrame().frame()).isEqualTo("after the garbage".getBytes(StandardCharsets.UTF_8));
    }
}
