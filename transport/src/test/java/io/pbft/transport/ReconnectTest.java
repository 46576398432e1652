package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ReconnectTest {

    private static final String HOST = "127.0.0.1";
    private static final TransportConfig CONFIG = new TransportConfig(64 * 1024, 1024 * 1024, 5, 50, 2);

    private final Closer closer = new Closer();

    @AfterEach
    void closeEverything() throws Exception {
        closer.closeAll();
    }

    @Test
    void connectsOnceAListenerAppearsOnThePortAndDropsWhatWasSentBefore() throws Exception {
        int port = freePort();
        Transport clientTransport = closer.transport(CONFIG);
        RecordingListener client = new RecordingListener();
        ReconnectingConnection connection = closer.track(clientTransport.connect(HOST, port, client));
        Await.until(() -> clientTransport.stats().reconnectAttempts() >= 1, "a failed connect was retried");

        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.send(bytes("too early"))).isFalse();
        assertThat(clientTransport.stats().framesDroppedNotConnected()).isEqualTo(1);

        Transport serverTransport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        closer.track(serverTransport.listen(HOST, port, server));

        assertThat(client.awaitOpen()).isSameAs(connection);
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.send(bytes("hello"))).isTrue();
        assertThat(server.awaitFrame().frame()).isEqualTo(bytes("hello"));
    }

    @Test
    void onOpenFiresAgainAfterThePeerDropsTheConnection() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        ReconnectingConnection connection = closer.track(transport.connect(HOST, listener.port(), client));
        assertThat(client.awaitOpen()).isSameAs(connection);

        server.awaitOpen().close();

        assertThat(client.awaitClose()).isSameAs(connection);
        assertThat(client.awaitOpen()).as("re-handshake on the same connection object").isSameAs(connection);
        assertThat(connection.send(bytes("again"))).isTrue();
        assertThat(server.awaitFrame().frame()).isEqualTo(bytes("again"));
        assertThat(transport.stats().reconnectAttempts()).isGreaterThanOrEqualTo(1);
        assertThat(transport.stats().connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void reconnectsAfterTheListenerRestartsOnTheSamePort() throws Exception {
        Transport serverTransport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener first = serverTransport.listen(HOST, 0, server);
        int port = first.port();
        Transport clientTransport = closer.transport(CONFIG);
        RecordingListener client = new RecordingListener();
        ReconnectingConnection connection = closer.track(clientTransport.connect(HOST, port, client));
        client.awaitOpen();

        first.close();
        client.awaitClose();
        closer.track(serverTransport.listen(HOST, port, server));

        client.awaitOpen();
        assertThat(connection.send(bytes("back"))).isTrue();
        assertThat(server.awaitFrame().frame()).isEqualTo(bytes("back"));
    }

    @Test
    void closeStopsReconnecting() throws Exception {
        int port = freePort();
        Transport clientTransport = closer.transport(CONFIG);
        RecordingListener closedClient = new RecordingListener();
        ReconnectingConnection closed = clientTransport.connect(HOST, port, closedClient);
        Await.until(() -> clientTransport.stats().reconnectAttempts() >= 2, "retrying");

        closed.close();
        closed.close();
        Transport serverTransport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        closer.track(serverTransport.listen(HOST, port, server));
        // A second connection proves the listener is reachable: had the closed one kept retrying
        // every few milliseconds, it would have been accepted too.
        RecordingListener probe = new RecordingListener();
        ReconnectingConnection probing = closer.track(clientTransport.connect(HOST, port, probe));
        probe.awaitOpen();
        probing.send(bytes("probe"));
        RecordingListener.Received received = server.awaitFrame();

        assertThat(received.frame()).isEqualTo(bytes("probe"));
        assertThat(server.opened).containsExactly(received.connection());
        assertThat(closedClient.opened).isEmpty();
        assertThat(closed.isOpen()).isFalse();
        assertThat(closed.send(bytes("after close"))).isFalse();
    }

    @Test
    void closingAConnectedConnectionDoesNotReconnect() throws Exception {
        Transport transport = closer.transport(CONFIG);
        RecordingListener server = new RecordingListener();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        RecordingListener client = new RecordingListener();
        ReconnectingConnection connection = transport.connect(HOST, listener.port(), client);
        client.awaitOpen();
        Connection accepted = server.awaitOpen();

        connection.close();

        assertThat(client.awaitClose()).isSameAs(connection);
        assertThat(server.awaitClose()).isSameAs(accepted);
        RecordingListener probe = new RecordingListener();
        closer.track(transport.connect(HOST, listener.port(), probe));
        probe.awaitOpen();
        assertThat(server.awaitOpen()).isNotSameAs(accepted);
        assertThat(client.opened).isEmpty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
