package io.pbft.node;

import io.pbft.core.message.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Client requests waiting for the core, at most one per client: the newest by timestamp. A client
 * has one request ordered at a time (the client table keeps only its newest), so an older one
 * waiting beside a newer one is work for nothing, and a client that floods holds no more of the
 * queue than any other. They are drained in the order their clients first arrived: fair across
 * clients, whatever one of them sends. Thread-safe: I/O threads offer, the core's thread drains.
 *
 * <p>A request that takes the place of its client's waiting one may come with its signature
 * unchecked: the signature is checked when it is drained, so a client that sends a thousand
 * requests between two drains costs one signature check there, not a thousand on the I/O threads
 * that every other client's requests pass through too.
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

    /** What one drain took: the requests for the core, and how many failed their deferred signature check. */
    record Drained(List<Request> requests, int badSignatures) {}

    private record Waiting(Request request, boolean signatureChecked) {}

    private final Map<Long, Waiting> byClient = new HashMap<>();
    private final ArrayDeque<Long> arrival = new ArrayDeque<>();

    /** Offers {@code request}, whose signature was checked already if {@code signatureChecked}, else to be checked on drain. */
    synchronized Offer offer(Request request, boolean signatureChecked) {
        Waiting waiting = byClient.get(request.clientId());
        if (waiting == null) {
            byClient.put(request.clientId(), new Waiting(request, signatureChecked));
            arrival.add(request.clientId());
            return Offer.ADDED;
        }
        if (waiting.request().timestamp() >= request.timestamp()) {
            return Offer.SUPERSEDED;
        }
        byClient.put(request.clientId(), new Waiting(request, signatureChecked));
        return Offer.REPLACED;
    }

    /** Whether a request of {@code clientId} with a timestamp of at least {@code timestamp} waits: a check cheaper than a signature's. */
    synchronized boolean holdsAtLeast(long clientId, long timestamp) {
        Waiting waiting = byClient.get(clientId);
        return waiting != null && waiting.request().timestamp() >= timestamp;
    }

    /** Whether any request of {@code clientId} waits: a newer one may take its place without a signature check yet. */
    synchronized boolean holdsAny(long clientId) {
        return byClient.containsKey(clientId);
    }

    /**
     * Takes every waiting request, one per client, in the order the clients arrived; those whose
     * signature was not checked on arrival are checked now with {@code signatureCheck} (outside the
     * lock, so that offers do not wait for it) and left out if it fails.
     */
    Drained drain(Predicate<Request> signatureCheck) {
        List<Request> requests = new ArrayList<>();
        int bad = 0;
        for (Waiting waiting : takeAll()) {
            if (waiting.signatureChecked() || signatureCheck.test(waiting.request())) {
                requests.add(waiting.request());
            } else {
                bad++;
            }
        }
        return new Drained(requests, bad);
    }

    private synchronized List<Waiting> takeAll() {
        List<Waiting> taken = new ArrayList<>(arrival.size());
        for (Long client = arrival.poll(); client != null; client = arrival.poll()) {
            taken.add(byClient.remove(client));
        }
        return taken;
    }

    /** Removes {@code request} if it is the one waiting for its client (a submit that could not schedule a drain). */
    synchronized void withdraw(Request request) {
        Waiting waiting = byClient.get(request.clientId());
        if (waiting != null && waiting.request() == request) {
            byClient.remove(request.clientId());
            arrival.remove(request.clientId());
        }
    }
}
