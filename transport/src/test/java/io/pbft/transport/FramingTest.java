package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.testing.Await;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class FramingTest {

    private static final String HOST = "127.0.0.1";
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Framing at full size from the first frame: the listeners here take no handshake (see ListenerLimitsTest). */
    private static final TransportConfig CONFIG = new TransportConfig(MAX_FRAME_BYTES, 64L * 1024 * 1024, 10, 200, 2)
            .withListenerLimits(ListenerLimits.defaults().withoutHandshake());

    private final Closer closer = new Closer();

    @AfterEach
    void closeEverything() throws Exception {
        closer.closeAll();
    }

    @Test
    void tenThousandFramesOfRandomSizesArriveIntactAndInOrderBothWays() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = RecordingListener.echoing();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();

        List<byte[]> sent = new ArrayList<>();
        List<Boolean> accepted = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] frame = new byte[random.nextInt(2_049)];
            random.nextBytes(frame);
            sent.add(frame);
            accepted.add(connection.send(frame));
        }

        assertThat(accepted).as("seed %d", seed).containsOnly(true);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(server.awaitFrame().frame()).as("frame %d at the server, seed %d", i, seed).isEqualTo(sent.get(i));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertThat(client.awaitFrame().frame()).as("echo %d at the client, seed %d", i, seed).isEqualTo(sent.get(i));
        }
        long payloadBytes = sent.stream().mapToLong(frame -> frame.length).sum();
        assertThat(transport.stats().framesReceived()).isEqualTo(20_000);
        assertThat(transport.stats().bytesReceived()).isEqualTo(2 * payloadBytes);
    }

    @Test
    void anEmptyFrameRoundTrips() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = RecordingListener.echoing();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();

        assertThat(connection.send(new byte[0])).isTrue();

        assertThat(server.awaitFrame().frame()).isEmpty();
        assertThat(client.awaitFrame().frame()).isEmpty();
    }

    @Test
    void serverAnswersOnTheConnectionTheRequestCameFrom() throws Exception {
        Transport serverTransport = closer.transport(CONFIG);
        Transport clientTransport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener((connection, frame) -> connection.send(reply(frame)));
        Listener listener = closer.track(serverTransport.listen(HOST, 0, server));
        RecordingListener alice = new RecordingListener();
        RecordingListener bob = new RecordingListener();
        Connection toAlice = closer.track(clientTransport.connect(HOST, listener.port(), alice));
        Connection toBob = closer.track(clientTransport.connect(HOST, listener.port(), bob));
        alice.awaitOpen();
        bob.awaitOpen();

        toAlice.send(bytes("alice"));
        toBob.send(bytes("bob"));

        assertThat(alice.awaitFrame().frame()).isEqualTo(bytes("re: alice"));
        assertThat(bob.awaitFrame().frame()).isEqualTo(bytes("re: bob"));
        assertThat(serverTransport.stats().connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void acceptedConnectionsAreDistinctConnectionsWithTheirOwnIds() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection first = closer.track(transport.connect(HOST, listener.port(), client));
        Connection second = closer.track(transport.connect(HOST, listener.port(), client));

        Connection acceptedOne = server.awaitOpen();
        Connection acceptedTwo = server.awaitOpen();

        assertThat(List.of(first.id(), second.id(), acceptedOne.id(), acceptedTwo.id())).doesNotHaveDuplicates();
        assertThat(acceptedOne.remoteAddress()).startsWith("127.0.0.1:");
        assertThat(acceptedOne.isOpen()).isTrue();
        assertThat(first.remoteAddress()).isEqualTo("127.0.0.1:" + listener.port());
    }

    @Test
    void aFrameOfExactlyTheLimitIsSentAndOneByteMoreIsRefusedAndCounted() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();

        assertThat(connection.send(new byte[MAX_FRAME_BYTES + 1])).isFalse();
        assertThat(connection.send(new byte[MAX_FRAME_BYTES])).isTrue();

        assertThat(server.awaitFrame().frame()).hasSize(MAX_FRAME_BYTES);
        assertThat(transport.stats().framesRejectedOversized()).isEqualTo(1);
        // Counted when the sender's write completes, which its event loop may learn after the
        // receiver's has already read the frame.
        Await.until(() -> transport.stats().framesSent() == 1, "the frame counted as sent");
        assertThat(connection.isOpen()).as("refusing a frame does not close the connection").isTrue();
    }

    @Test
    void aThrowingListenerIsCountedAndLaterFramesStillArrive() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener((connection, frame) -> {
            if (frame.length == 1 && frame[0] == 1) {
                throw new IllegalStateException("listener bug, on purpose");
            }
        });
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();

        connection.send(new byte[] {1});
        connection.send(new byte[] {2});
        connection.send(new byte[] {3});

        assertThat(server.awaitFrame().frame()).containsExactly(1);
        assertThat(server.awaitFrame().frame()).containsExactly(2);
        assertThat(server.awaitFrame().frame()).containsExactly(3);
        assertThat(transport.stats().listenerFailures()).isEqualTo(1);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aListenerThatThrowsInOnOpenStillReceivesFrames() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                throw new IllegalStateException("listener bug, on purpose");
            }
        };
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();
        server.awaitOpen();

        connection.send(bytes("still here"));

        assertThat(server.awaitFrame().frame()).isEqualTo(bytes("still here"));
        assertThat(transport.stats().listenerFailures()).isEqualTo(1);
    }

    @Test
    void sendCopiesTheFrameSoTheCallerMayReuseItsArray() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = closer.track(transport.connect(HOST, listener.port(), client));
        client.awaitOpen();

        byte[] buffer = bytes("first");
        connection.send(buffer);
        buffer[0] = 'X';

        assertThat(server.awaitFrame().frame()).isEqualTo(bytes("first"));
    }

    @Test
    void closingTheTransportClosesItsConnectionsAndRefusesNewOnes() throws Exception {
        Transport serverTransport = closer.transport(CONFIG);
        Transport clientTransport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(serverTransport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        Connection connection = clientTransport.connect(HOST, listener.port(), client);
        client.awaitOpen();
        Connection accepted = server.awaitOpen();

        clientTransport.close();
        clientTransport.close();

        assertThat(client.awaitClose()).isSameAs(connection);
        assertThat(server.awaitClose()).isSameAs(accepted);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.send(bytes("late"))).isFalse();
        assertThatThrownBy(() -> clientTransport.connect(HOST, listener.port(), client))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closingAListenerClosesTheConnectionsItAccepted() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = transport.listen(HOST, 0, server);
        RecordingListener client = new RecordingListener();
        closer.track(transport.connect(HOST, listener.port(), client));
        Connection accepted = server.awaitOpen();

        listener.close();

        assertThat(server.awaitClose()).isSameAs(accepted);
        assertThat(accepted.isOpen()).isFalse();
    }

    private static byte[] reply(byte[] request) {
        return bytes("re: " + new String(request, StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
