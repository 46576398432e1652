package io.pbft.chaos.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The simulated clock and its pending events. Events run in order of time, and events at the
 * same time in the order they were scheduled, so a run never depends on how a heap breaks ties.
 */
final class EventQueue {

    record Scheduled(long atMillis, long order, SimEvent event) {}

    private static final Comparator<Scheduled> ORDER =
            Comparator.comparingLong(Scheduled::atMillis).thenComparingLong(Scheduled::order);

    private final PriorityQueue<Scheduled> pending = new PriorityQueue<>(ORDER);
    private long nowMillis;
    private long scheduledCount;

    long nowMillis() {
        return nowMillis;
    }

    /** Schedules {@code event} at {@code atMillis}, or now if that is in the past. */
    void at(long atMillis, SimEvent event) {
        pending.add(new Scheduled(Math.max(atMillis, nowMillis), scheduledCount++, event));
    }

    void after(long delayMillis, SimEvent event) {
        at(nowMillis + delayMillis, event);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The time of the next event; only when not empty. */
    long nextMillis() {
        return pending.peek().atMillis();
    }

    /** Removes the next event and moves the clock to its time. */
    Scheduled poll() {
        Scheduled next = pending.poll();
        nowMillis = next.atMillis();
        return next;
    }

    int size() {
        return pending.size();
    }
}
