package io.pbft.transport;

import java.util.concurrent.atomic.AtomicLong;

/** Hands out connection ids that are unique within the process, across all transports. */
final class ConnectionIds {

    private static final AtomicLong NEXT = new AtomicLong(1);

    private ConnectionIds() {}

    static long next() {
        return NEXT.getAndIncrement();
    }
}
