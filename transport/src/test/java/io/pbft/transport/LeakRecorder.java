package io.pbft.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Logback appender (see logback-test.xml) that keeps Netty's leak reports so tests can fail on them. */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            LEAKS.add(event.getFormattedMessage());
        }
    }

    static List<String> leaks() {
        return List.copyOf(LEAKS);
    }
}
