package io.pbft.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.pbft.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@link AcceptFailureTest}, run in a process of its own with a small
 * descriptor limit: an echoing listener that counts every warning the process logs. Prints
 * {@code pbft-test: port <port>} once listening; answers each {@code stats} line on its input with
 * {@code pbft-test: warnings <w> failures <f>}; exits at {@code quit} or at the end of its input.
 */
final class DescriptorStarvedServer {

    static final String PREFIX = "pbft-test: ";
    private static final String HOST = "127.0.0.1";

    private DescriptorStarvedServer() {}

    public static void main(String[] args) throws Exception {
        AtomicLong warnings = countWarnings();
        try (Transport transport = new Transport(TransportConfig.defaults(), IoFlavour.valueOf(args[0]))) {
            Listener listener = transport.listen(HOST, 0, (connection, frame) -> connection.send(frame));
            warmUp(transport, listener.port());
            System.out.println(PREFIX + "port " + listener.port());
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command = commands.readLine(); command != null && !command.equals("quit");
                    command = commands.readLine()) {
                System.out.println(PREFIX + "warnings " + warnings.get() + " failures "
                        + transport.stats().acceptFailures());
                System.out.flush();
            }
        }
    }

    /** Counts WARN and above from every logger, whatever the test's logback configuration lets through. */
    private static AtomicLong countWarnings() {
        AtomicLong warnings = new AtomicLong();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        AppenderBase<ILoggingEvent> counter = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                    warnings.incrementAndGet();
                }
            }
        };
        counter.setContext(context);
        counter.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders(); // the console would print every warning we count
        root.addAppender(counter);
        root.setLevel(Level.WARN);
        return warnings;
    }

    /**
     * One connection and one frame each way, so that the classes a connection needs are loaded while
     * descriptors are still free: class files load from directories in tests, a descriptor each.
     */
    private static void warmUp(Transport transport, int port) throws InterruptedException {
        CountDownLatch echoed = new CountDownLatch(1);
        Connection connection = transport.connect(HOST, port, new FrameListener() {
            @Override
            public void onOpen(Connection opened) {
                opened.send(new byte[] {1});
            }

            @Override
            public void onFrame(Connection from, byte[] frame) {
                echoed.countDown();
            }
        });
        try {
            if (!echoed.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no echo from our own listener within " + Await.TIMEOUT);
            }
        } finally {
            connection.close();
        }
    }
}
