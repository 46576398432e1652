package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.testing.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class BackPressureTest {

    private static final String HOST = "127.0.0.1";
    private static final int FRAME_BYTES = 100;
    private static final int WIRE_BYTES = FRAME_BYTES + TransportConfig.LENGTH_PREFIX_BYTES;

    private final Closer closer = new Closer();

    @AfterEach
    void closeEverything() throws Exception {
        closer.closeAll();
    }

    /**
     * Deterministic because the sends run inside onOpen, on the connection's own I/O thread:
     * nothing can be written (the flush is scheduled behind the current task) until we return,
     * and the echo of the third frame can only be read on that thread after its write completed.
     */
    @Test
    void sendIsRefusedOnceQueuedBytesWouldExceedTheBoundAndAcceptedAgainAfterTheyDrain() throws Exception {
        TransportConfig config = new TransportConfig(FRAME_BYTES, 3L * WIRE_BYTES, 10, 200, 2);
        Transport transport = closer.transport(config);
        RecordingListener server = RecordingListener.echoing();
        Listener listener = closer.track(transport.listen(HOST, 0, server));
        CompletableFuture<List<Object>> duringOpen = new CompletableFuture<>();
        CompletableFuture<List<Object>> afterThirdEcho = new CompletableFuture<>();
        AtomicInteger echoes = new AtomicInteger();
        FrameListener client = new FrameListener() {
            @Override
            public void onOpen(Connection connection) {
                List<Object> observed = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    observed.add(connection.send(frame(i)));
                }
                observed.add(((ReconnectingConnection) connection).queuedBytes());
                duringOpen.complete(observed);
            }

            @Override
            public void onFrame(Connection connection, byte[] frame) {
                if (echoes.incrementAndGet() == 3) {
                    long queued = ((ReconnectingConnection) connection).queuedBytes();
                    afterThirdEcho.complete(List.of(queued, connection.send(frame(4))));
                }
            }
        };
        closer.track(transport.connect(HOST, listener.port(), client));

        assertThat(duringOpen.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .containsExactly(true, true, true, false, 3L * WIRE_BYTES);
        assertThat(afterThirdEcho.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly(0L, true);
        assertThat(server.awaitFrame().frame()).isEqualTo(frame(0));
        assertThat(server.awaitFrame().frame()).isEqualTo(frame(1));
        assertThat(server.awaitFrame().frame()).isEqualTo(frame(2));
        assertThat(server.awaitFrame().frame()).as("the refused frame 3 was dropped").isEqualTo(frame(4));
        assertThat(transport.stats().framesDroppedQueueFull()).isEqualTo(1);
    }

    @Test
    void aPeerThatNeverReadsCannotMakeTheSenderBufferMoreThanTheBound() throws Exception {
        int frameBytes = 64 * 1024;
        long bound = 4L * (frameBytes + TransportConfig.LENGTH_PREFIX_BYTES);
        Transport transport = closer.transport(new TransportConfig(frameBytes, bound, 10, 200, 2));
        try (ServerSocket stalled = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            RecordingListener client = new RecordingListener();
            ReconnectingConnection connection = closer.track(transport.connect(HOST, stalled.getLocalPort(), client));
            client.awaitOpen();
            try (Socket neverRead = stalled.accept()) {
                byte[] frame = new byte[frameBytes];
                int accepted = 0;
                boolean refused = false;
                // Bounded: the kernel buffers on both sides hold a few MiB at most, far below this.
                for (int i = 0; i < 100_000 && !refused; i++) {
                    if (connection.send(frame)) {
                        accepted++;
                    } else {
                        refused = true;
                    }
                }

                assertThat(refused).as("refused after %d frames", accepted).isTrue();
                assertThat(connection.queuedBytes()).isLessThanOrEqualTo(bound);
                assertThat(transport.stats().framesDroppedQueueFull()).isEqualTo(1);
                assertThat(connection.isOpen()).as("a slow peer is not disconnected").isTrue();
                assertThat(neverRead.isConnected()).isTrue();
            }
        }
    }

    private static byte[] frame(int index) {
        byte[] frame = new byte[FRAME_BYTES];
        frame[0] = (byte) index;
        frame[FRAME_BYTES - 1] = (byte) index;
        return frame;
    }
}
