package io.pbft.bench;

import com.google.protobuf.ByteString;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.crypto.HandshakeException;
import io.pbft.crypto.HandshakeInitiator;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;
import io.pbft.wire.proto.ClientFrame;
import io.pbft.wire.proto.ClientHello;
import io.pbft.wire.proto.ReplicaFrame;
import io.pbft.wire.proto.ServerHello;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.SecureRandom;

/**
 * A blocking socket to a replica's client port that speaks the transport's framing by hand, for
 * the floods of {@code bench-fairness}: a flooder needs to do what {@link io.pbft.client.PbftClient}
 * never does (send without waiting, hold a connection without a handshake, announce a frame and
 * stop), and to come from its own loopback address.
 */
final class FloodSocket implements AutoCloseable {

    /**
     * Where the floods come from: the replicas cap connections per remote address, and the honest
     * client, on 127.0.0.1, must not share the flooder's share. Linux routes all of 127/8 to loopback.
     */
    static final String FLOOD_ADDRESS = "127.0.0.2";

    private static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int maxFrameBytes;

    private FloodSocket(Socket socket, int maxFrameBytes) throws IOException {
        this.socket = socket;
        this.maxFrameBytes = maxFrameBytes;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), SEND_BUFFER_BYTES));
    }

    /** Connects from {@link #FLOOD_ADDRESS} to {@code replica}'s client port; reads time out after {@code timeoutMillis}. */
    static FloodSocket open(ReplicaEndpoint replica, int maxFrameBytes, long timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(floodAddress(), 0));
            socket.connect(new InetSocketAddress(replica.host(), replica.clientPort()), (int) timeoutMillis);
            socket.setSoTimeout((int) timeoutMillis);
            socket.setTcpNoDelay(true);
            return new FloodSocket(socket, maxFrameBytes);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static InetAddress floodAddress() throws UnknownHostException {
        return InetAddress.getByName(FLOOD_ADDRESS);
    }

    /**
     * Reads the replica's hello, answers it as {@code identity}, and waits for the replica to accept:
     * the whole of what a new client costs the replica.
     */
    SessionKey handshake(SigningKey identity, ReplicaEndpoint replica, SecureRandom random) throws IOException {
        ServerHello hello = ReplicaFrame.parseFrom(receive()).getHello();
        HandshakeInitiator.Result result;
        try {
            result = HandshakeInitiator.respond(identity, replica.publicKey(), replica.id(),
                    hello.getNonce().toByteArray(), hello.getEphemeralPublicKey().toByteArray(),
                    hello.getSignature().toByteArray(), random);
        } catch (HandshakeException e) {
            throw new IOException("replica " + replica.id() + " sent a bad hello", e);
        }
        send(ClientFrame.newBuilder().setHello(ClientHello.newBuilder()
                .setIdentityPublicKey(ByteString.copyFrom(identity.publicKey()))
                .setEphemeralPublicKey(ByteString.copyFrom(result.ephemeralPublicKey()))
                .setSignature(ByteString.copyFrom(result.signature()))).build().toByteArray());
        flush();
        if (!ReplicaFrame.parseFrom(receive()).hasHelloAccepted()) {
            throw new IOException("replica " + replica.id() + " did not accept the hello");
        }
        return result.key();
    }

    /** Buffers one frame; {@link #flush()} sends what is buffered. */
    void send(byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
    }

    /** Bytes as they are, without a length prefix, sent at once. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The next frame; fails on a length beyond the cluster's maximum rather than allocate it. */
    byte[] receive() throws IOException {
        int length = in.readInt();
        if (length < 0 || length > maxFrameBytes) {
            throw new IOException("frame of " + length + " bytes announced, the maximum is " + maxFrameBytes);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a flood connection: nothing to do about it
        }
    }
}
