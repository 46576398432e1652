package io.pbft.transport;

import io.pbft.testing.Await;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/** Records every callback in queues that tests wait on; may react to frames (e.g. echo them). */
class RecordingListener implements FrameListener {

    record Received(Connection connection, byte[] frame) {}

    final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Connection> closed = new LinkedBlockingQueue<>();
    private final BiConsumer<Connection, byte[]> reaction;

    RecordingListener() {
        this((connection, frame) -> {});
    }

    RecordingListener(BiConsumer<Connection, byte[]> reaction) {
        this.reaction = reaction;
    }

    /** Answers every frame with the same bytes, on the connection it came from. */
    static RecordingListener echoing() {
        return new RecordingListener(Connection::send);
    }

    @Override
    public void onOpen(Connection connection) {
        opened.add(connection);
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        frames.add(new Received(connection, frame));
        reaction.accept(connection, frame);
    }

    @Override
    public void onClose(Connection connection) {
        closed.add(connection);
    }

    Connection awaitOpen() throws InterruptedException {
        return Await.take(opened, "onOpen");
    }

    Received awaitFrame() throws InterruptedException {
        return Await.take(frames, "frame");
    }

    Connection awaitClose() throws InterruptedException {
        return Await.take(closed, "onClose");
    }
}
