package io.pbft.node;

import io.pbft.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Times each client request from its arrival on this replica's client port to this replica's
 * reply, which leaves right after the request executes: the commit latency as this replica saw
 * it. A request that reached this replica only inside a pre-prepare (a backup's usual case) is
 * not timed, nor is a reply whose request arrived before the oldest one still held.
 *
 * <p>Arrivals wait in a map bounded by {@link #MAX_PENDING}: a request that never gets a reply
 * here (superseded, dropped, answered by a view that this replica missed) is pushed out by newer
 * ones instead of staying forever. The first arrival of a (client, timestamp) counts; its
 * retransmissions do not restart its clock. Thread-safe: arrivals come on the I/O threads,
 * replies on the core's.
 */
final class CommitLatency {

    /**
     * Far more requests than a replica holds at once, so that only those that never got a reply
     * here are pushed out; at about a hundred bytes an entry, a few megabytes at most.
     */
    static final int MAX_PENDING = 65_536;

    private record Key(long clientId, long timestamp) {}

    private final Map<Key, Long> arrivals = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > MAX_PENDING;
        }
    };
    private final Metrics.LatencyRecorder recorder;
    private final LongAdder samples = new LongAdder();

    CommitLatency(Metrics.LatencyRecorder recorder) {
        this.recorder = recorder;
    }

    void arrived(long clientId, long timestamp, long nowNanos) {
        synchronized (arrivals) {
            arrivals.putIfAbsent(new Key(clientId, timestamp), nowNanos);
        }
    }

    void replied(long clientId, long timestamp, long nowNanos) {
        Long arrivedNanos;
        synchronized (arrivals) {
            arrivedNanos = arrivals.remove(new Key(clientId, timestamp));
        }
        if (arrivedNanos != null) {
            recorder.recordNanos(nowNanos - arrivedNanos);
            samples.increment();
        }
    }

    /** How many requests were timed. */
    long samples() {
        return samples.sum();
    }

    void remove() {
        recorder.remove();
    }
}
