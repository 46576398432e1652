package io.pbft.transport;

import io.pbft.testing.Await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

/** A peer that is a plain socket, for tests that write bytes no {@link Transport} would. */
final class RawSockets {

    private RawSockets() {}

    /** A socket to {@code port} on 127.0.0.1 whose reads give up after {@link Await#TIMEOUT}. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
        return socket;
    }

    /** Sends {@code payload} as one frame and returns the payload of the next frame received. */
    static byte[] echo(Socket socket, byte[] payload) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] echoed = new byte[in.readInt()];
        in.readFully(echoed);
        return echoed;
    }

    /**
     * Reads until the server closes; a reset counts as closed too. Returns the bytes read. Bounded by
     * the socket's timeout.
     */
    static int readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int received = 0;
        try {
            while (in.read() != -1) {
                received++;
            }
        } catch (SocketException reset) {
            // The server closed with our bytes unread: also a close.
        }
        return received;
    }
}
