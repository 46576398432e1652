package io.pbft.node;

import io.pbft.core.ReplicaConfig;
import io.pbft.core.message.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Client requests waiting for the core, at most a window ({@link ReplicaConfig#CLIENT_WINDOW}) per
 * client: the newest by timestamp. A client has at most a window of requests outstanding (the
 * client table refuses one that falls below it), so an older one waiting beside a window of newer
 * ones is work for nothing, and a client that floods holds no more of the queue than its window.
 * They are drained in rounds, one request of each client per round, the clients in the order they
 * first arrived: fair across clients, whatever one of them sends. Thread-safe: I/O threads offer,
 * the core's thread drains.
 */
final class PendingRequests {

    /** What became of an offered request. */
    enum Offer {
        /** Its client had room in its window: it waits now. */
        ADDED,
        /** Its client's window was full: it took the place of the client's oldest, which will not reach the core. */
        REPLACED,
        /** The same request waits already, or a full window of newer ones: it is dropped. */
        SUPERSEDED
    }

    private final int window;
    private final Map<Long, NavigableMap<Long, Request>> byClient = new HashMap<>();
    private final ArrayDeque<Long> arrival = new ArrayDeque<>();

    PendingRequests() {
        this(ReplicaConfig.CLIENT_WINDOW);
    }

    PendingRequests(int window) {
        this.window = window;
    }

    synchronized Offer offer(Request request) {
        NavigableMap<Long, Request> waiting = byClient.get(request.clientId());
        if (waiting == null) {
            waiting = new TreeMap<>();
            byClient.put(request.clientId(), waiting);
            arrival.add(request.clientId());
        }
        if (waiting.containsKey(request.timestamp())) {
            return Offer.SUPERSEDED;
        }
        if (waiting.size() < window) {
            waiting.put(request.timestamp(), request);
            return Offer.ADDED;
        }
        if (waiting.firstKey() > request.timestamp()) {
            return Offer.SUPERSEDED;
        }
        waiting.pollFirstEntry();
        waiting.put(request.timestamp(), request);
        return Offer.REPLACED;
    }

    /**
     * Whether this request, or a full window of newer ones of its client, waits: a check cheaper
     * than a signature's.
     */
    synchronized boolean holdsOrSupersedes(long clientId, long timestamp) {
        NavigableMap<Long, Request> waiting = byClient.get(clientId);
        return waiting != null
                && (waiting.containsKey(timestamp) || (waiting.size() >= window && waiting.firstKey() > timestamp));
    }

    /**
     * Takes every waiting request: one of each client per round, oldest first, the clients in the
     * order they arrived, so a client with a full window does not push the others to a later batch.
     */
    synchronized List<Request> drain() {
        List<Request> drained = new ArrayList<>();
        while (!arrival.isEmpty()) {
            for (int i = arrival.size(); i > 0; i--) {
                Long client = arrival.poll();
                NavigableMap<Long, Request> waiting = byClient.get(client);
                drained.add(waiting.pollFirstEntry().getValue());
                if (waiting.isEmpty()) {
                    byClient.remove(client);
                } else {
                    arrival.add(client);
                }
            }
        }
        return drained;
    }

    /** Removes {@code request} if it waits (a submit that could not schedule a drain). */
    synchronized void withdraw(Request request) {
        NavigableMap<Long, Request> waiting = byClient.get(request.clientId());
        if (waiting != null && waiting.get(request.timestamp()) == request) {
            waiting.remove(request.timestamp());
            if (waiting.isEmpty()) {
                byClient.remove(request.clientId());
                arrival.remove(request.clientId());
            }
        }
    }
}
