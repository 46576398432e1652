package io.pbft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pbft.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A listener in a process that runs out of file descriptors (issue 10, problem 3: 20,000 idle
 * connections did it to a replica). The server runs in a process of its own, started under
 * {@code ulimit -n} with a limit our connections exceed, so that its accepts fail with EMFILE.
 *
 * <p>What must hold: accepting pauses rather than spinning, the failures are logged rarely, and once
 * descriptors are free again the listener serves new connections.
 */
class AcceptFailureTest {

    private static final String HOST = "127.0.0.1";
    /** Descriptors of the server process: its JVM needs about 60; the flood exceeds the rest. */
    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int FLOOD_CONNECTIONS = 400;

    private final List<Socket> flood = new ArrayList<>();
    private Process server;
    private Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Socket socket : flood) {
            socket.close();
        }
        if (server != null) {
            server.destroyForcibly();
            if (!server.waitFor(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the server process did not exit within " + Await.TIMEOUT);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IoFlavour.class)
    void outOfDescriptorsTheListenerPausesLogsRarelyAndServesAgainOnceTheyAreFree(IoFlavour flavour)
            throws Exception {
        assumeTrue(flavour.isAvailable(), flavour.displayName() + " does not load here");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        int port = startServer(flavour);
        long startNanos = System.nanoTime();

        for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
            flood.add(new Socket(HOST, port)); // completes in the kernel's backlog even when accept fails
        }
        Await.until(() -> stats().warnings() > 0, "the server ran out of descriptors and said so");
        for (Socket socket : flood) {
            socket.close();
        }
        flood.clear();

        try (Socket fresh = RawSockets.connect(port)) {
            assertThat(RawSockets.echo(fresh, new byte[] {42})).as("a new connection served after the flood")
                    .containsExactly(42);
        }
        Stats after = stats();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertThat(after.failures()).as("accept failures counted").isPositive();
        // Bounds that only loosen on a slower machine: at most one pause per failure, each of at
        // least the minimum retry delay, and at most one warning per log interval.
        assertThat(after.failures()).as("accept failures in %d ms: paused between retries, no tight loop",
                elapsedMillis).isLessThanOrEqualTo(1 + elapsedMillis / AcceptGuard.ACCEPT_RETRY_MIN_MILLIS);
        assertThat(after.warnings()).as("warnings logged in %d ms", elapsedMillis)
                .isLessThanOrEqualTo(1 + elapsedMillis / TimeUnit.SECONDS.toMillis(AcceptGuard.LOG_INTERVAL_SECONDS));
    }

    private record Stats(long warnings, long failures) {}

    private int startServer(IoFlavour flavour) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$0\" -cp \"$1\" "
                + DescriptorStarvedServer.class.getName() + " " + flavour.name();
        server = new ProcessBuilder("/bin/bash", "-c", command, java, System.getProperty("java.class.path"))
                .redirectErrorStream(true)
                .start();
        commands = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> keepReplies(server.getInputStream()), "server-output");
        reader.setDaemon(true);
        reader.start();
        String listening = Await.take(replies, "the server's port");
        assertThat(listening).startsWith("port ");
        return Integer.parseInt(listening.substring("port ".length()));
    }

    /** Queues the server's own lines; drops the rest. Ends when the server's output closes. */
    private void keepReplies(InputStream output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(DescriptorStarvedServer.PREFIX)) {
                    replies.add(line.substring(DescriptorStarvedServer.PREFIX.length()));
                }
            }
        } catch (IOException e) {
            // The server went away: the test waiting for a reply fails on its deadline.
        }
    }

    private Stats stats() {
        try {
            commands.write("stats\n");
            commands.flush();
            String[] words = Await.take(replies, "the server's stats").split(" ");
            return new Stats(Long.parseLong(words[1]), Long.parseLong(words[3]));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("asking the server for its stats", e);
        }
    }
}
