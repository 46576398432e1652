package io.pbft.storage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Catches what recovery logs while open, and keeps it off the console: the properties cut
 * thousands of torn tails and check that each is logged once.
 */
final class RecoveryWarnings implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(Recovery.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    RecoveryWarnings() {
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        logger.setLevel(Level.WARN);
    }

    /** The WARN messages since the last call, formatted. */
    List<String> drain() {
        List<String> messages = appender.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        appender.list.clear();
        return messages;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setAdditive(true);
        logger.setLevel(null);
    }
}
