package io.pbft.node;

import io.pbft.core.message.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client requests waiting for the core, at most one per client: the newest by timestamp. A client
 * has one request ordered at a time (the client table keeps only its newest), so an older one
 * waiting beside a newer one is work for nothing, and a client that floods holds no more of the
 * queue than any other. They are drained in the order their clients first arrived: fair across
 * clients, whatever one of them sends. Thread-safe: I/O threads offer, the core's thread drains.
 */
final class PendingRequests {

    /** What became of an offered request. */
    enum Offer {
        /** Its client had none waiting: it waits now. */
        ADDED,
        /** It took the place of an older one of its client, which will not reach the core. */
        REPLACED,
        /** One of its client at least as new waits already: it is dropped. */
        SUPERSEDED
    }

    private final Map<Long, Request> byClient = new HashMap<>();
    private final ArrayDeque<Long> arrival = new ArrayDeque<>();

    synchronized Offer offer(Request request) {
        Request waiting = byClient.get(request.clientId());
        if (waiting == null) {
            byClient.put(request.clientId(), request);
            arrival.add(request.clientId());
            return Offer.ADDED;
        }
        if (waiting.timestamp() >= request.timestamp()) {
            return Offer.SUPERSEDED;
        }
        byClient.put(request.clientId(), request);
        return Offer.REPLACED;
    }

    /** Whether a request of {@code clientId} with a timestamp of at least {@code timestamp} waits: a check cheaper than a signature's. */
    synchronized boolean holdsAtLeast(long clientId, long timestamp) {
        Request waiting = byClient.get(clientId);
        return waiting != null && waiting.timestamp() >= timestamp;
    }

    /** Takes every waiting request, one per client, in the order the clients arrived. */
    synchronized List<Request> drain() {
        List<Request> drained = new ArrayList<>(arrival.size());
        for (Long client = arrival.poll(); client != null; client = arrival.poll()) {
            drained.add(byClient.remove(client));
        }
        return drained;
    }

    /** Removes {@code request} if it is the one waiting for its client (a submit that could not schedule a drain). */
    synchronized void withdraw(Request request) {
        if (byClient.get(request.clientId()) == request) {
            byClient.remove(request.clientId());
            arrival.remove(request.clientId());
        }
    }
}
