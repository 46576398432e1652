package io.pbft.node;

import io.pbft.crypto.SessionKey;
import io.pbft.transport.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per client id: its latest connection and session key, and the key of the connection before.
 * Replies go to the latest connection; authenticators in pre-prepares verify under the latest key
 * or the previous one, so a request MAC'd just before the client reconnected still verifies.
 *
 * <p>Entries outlive their connections (a backup needs the key of a client that hung up to check
 * a pre-prepare holding its request), so the table is bounded: least recently used entries go
 * first once it holds {@code capacity} clients. Thread-safe: I/O threads and the core thread use it.
 */
final class ClientSessions {

    /** One completed handshake: the connection it ran on and the key it agreed. */
    record Session(long clientId, Connection connection, SessionKey key) {}

    private record Entry(Session latest, SessionKey previous) {}

    private final Map<Long, Entry> entries;

    ClientSessions(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records a completed handshake; the client's former key becomes its previous one. */
    synchronized void register(Session session) {
        Entry former = entries.get(session.clientId());
        entries.put(session.clientId(), new Entry(session, former == null ? null : former.latest().key()));
    }

    /** The client's latest session, or null if it never completed a handshake (or was evicted). */
    synchronized Session latest(long clientId) {
        Entry entry = entries.get(clientId);
        return entry == null ? null : entry.latest();
    }

    /** Whether {@code mac} is the MAC of {@code data} under the client's latest or previous key. */
    boolean verify(long clientId, byte[] data, byte[] mac) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(clientId);
        }
        if (entry == null) {
            return false;
        }
        // MACs are computed outside the lock: I/O threads verify in parallel.
        return entry.latest().key().verify(data, mac)
                || (entry.previous() != null && entry.previous().verify(data, mac));
    }

    synchronized int size() {
        return entries.size();
    }
}
