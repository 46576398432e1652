package io.pbft.driver;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;

/**
 * The shape of a request's MAC authenticator: exactly one entry per replica, each a MAC or empty
 * (the client had no session with that replica). A replica can verify only its own entry, but it
 * can refuse to carry oversized junk in the others into every pre-prepare.
 */
public final class Authenticators {

    private Authenticators() {}

    /**
     * Whether the client had a session with at least n - f replicas when it made the request. With
     * fewer, two or more backups could not check their entries, could not vouch for each other,
     * and the batch holding the request would never prepare: better to refuse the request now,
     * and order the client's retransmission, made once more sessions exist.
     */
    public static boolean coversQuorum(Request request, int replicaCount, int f) {
        int present = 0;
        for (ByteString entry : request.authenticator()) {
            if (!entry.isEmpty()) {
                present++;
            }
        }
        return present >= replicaCount - f;
    }

    public static boolean wellFormed(Request request, int replicaCount) {
        if (request.authenticator().size() != replicaCount) {
            return false;
        }
        for (ByteString entry : request.authenticator()) {
            if (!entry.isEmpty() && entry.size() != SessionKey.MAC_BYTES) {
                return false;
            }
        }
        return true;
    }
}
