package io.pbft.transport;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what a test opened, last opened first, even when the test failed. */
final class Closer {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    <T extends AutoCloseable> T track(T closeable) {
        open.push(closeable);
        return closeable;
    }

    <T extends Connection> T track(T connection) {
        open.push(connection::close);
        return connection;
    }

    Transport transport(TransportConfig config) {
        return track(new Transport(config));
    }

    void closeAll() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
