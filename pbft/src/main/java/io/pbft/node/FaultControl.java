package io.pbft.node;

import io.pbft.transport.Connection;
import io.pbft.transport.FrameListener;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault-control port of a replica started with {@code --fault-control}: bound to the loopback
 * address only, so that nothing off this machine can reach it, and absent unless asked for. Each
 * frame is one command in UTF-8 text, answered by one frame:
 *
 * <pre>
 *   show                        the faults in force
 *   cut=0,1  cut=none           cut exactly these links (none: heal them all)
 *   drop=0.2                    drop each other frame with this probability
 *   delay-ms=50                 send each other frame this late
 *   clear                       no faults
 * </pre>
 *
 * Settings combine in one command ({@code cut=2 drop=0.1}); what a command does not name stays as
 * it was. The answer is {@code ok} followed by the settings in force and the frames dropped and
 * delayed so far, or {@code error: } and why (nothing changed). {@code scripts/pbft fault} speaks it.
 */
public final class FaultControl implements FrameListener {

    private static final Logger log = LoggerFactory.getLogger(FaultControl.class);

    /** The fault-control port of a replica is its client port plus this, unless given otherwise. */
    public static final int PORT_OFFSET = 100;
    /** Longer than any answer; a longer frame is not an answer of ours. */
    private static final int MAX_ANSWER_BYTES = 4_096;

    private final int self;
    private final LinkFaults faults;

    FaultControl(int self, LinkFaults faults) {
        this.self = self;
        this.faults = faults;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
        connection.send(answer(new String(frame, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    /** Applies {@code command}, all of it or nothing, and says what is in force. */
    String answer(String command) {
        try {
            LinkFaults.Settings next = parse(command.strip(), faults.settings());
            if (!next.equals(faults.settings())) {
                faults.set(next);
                log.warn("replica {}: network faults on what it sends: {} (fault-control port, for tests only)", self,
                        next.describe());
            }
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
        return "ok " + faults.settings().describe() + " dropped=" + faults.droppedFrames() + " delayed="
                + faults.delayedFrames();
    }

    static LinkFaults.Settings parse(String command, LinkFaults.Settings current) {
        LinkFaults.Settings next = current;
        if (command.isEmpty() || command.equals("show")) {
            return next;
        }
        for (String word : command.split("\\s+")) {
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            String value = equals < 0 ? "" : word.substring(equals + 1);
            next = switch (name) {
                case "clear" -> LinkFaults.Settings.NONE;
                case "cut" -> next.withCut(peers(value));
                case "drop" -> next.withDropProbability(number(word, value));
                case "delay-ms" -> next.withDelayMillis((long) number(word, value));
                default -> throw new IllegalArgumentException("unknown setting '" + word
                        + "' (known: show, clear, cut=IDS|none, drop=P, delay-ms=N)");
            };
        }
        return next;
    }

    private static BitSet peers(String value) {
        BitSet peers = new BitSet();
        if (value.equals("none")) {
            return peers;
        }
        for (String id : value.split(",")) {
            try {
                int peer = Integer.parseInt(id);
                if (peer < 0) {
                    throw new IllegalArgumentException("cut=" + value + ": replica ids are not negative");
                }
                peers.set(peer);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cut=" + value + ": not a list of replica ids (or none)");
            }
        }
        return peers;
    }

    private static double number(String word, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(word + ": not a number");
        }
    }

    /**
     * Sends {@code command} to the fault-control port {@code port} on this machine and returns the
     * answer, waiting at most {@code timeout} for it.
     */
    public static String request(int port, String command, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            byte[] bytes = command.getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            if (length < 0 || length > MAX_ANSWER_BYTES) {
                throw new IOException("port " + port + " answered a frame of " + length
                        + " bytes: not a replica's fault-control port");
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }
}
