package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.pbft.core.ReplicaConfig;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Closing a client is orderly: nothing in the application's log but what it asked for. */
class ClientCloseTest {

    private static final int ROUNDS = 20;

    @TempDir
    Path directory;

    @Test
    void aClientClosedWhileItsConnectionsOpenLogsNoRejectedExecution() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try (LiveCluster cluster = LiveCluster.start(directory, 4, ReplicaConfig.defaults(4, 0), 500)) {
            for (int round = 0; round < ROUNDS; round++) {
                // Closed at once: its handshakes are under way, and their channels close with the transport.
                PbftClient.builder().cluster(cluster.config).build().close();
            }
        } finally {
            root.detachAppender(events);
        }
        assertThat(events.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .noneMatch(event -> event.getThrowableProxy() instanceof ThrowableProxy proxy
                        && proxy.getThrowable() instanceof RejectedExecutionException);
    }
}
