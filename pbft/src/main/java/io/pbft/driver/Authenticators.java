package io.pbft.driver;

import com.google.protobuf.ByteString;
import io.pbft.core.message.Request;
import io.pbft.crypto.SessionKey;
import io.pbft.crypto.SigningKey;

/**
 * The shape of a request's MAC authenticator: exactly one entry per replica, each a MAC or empty
 * (the client had no session with that replica). A replica can verify only its own entry, but it
 * can refuse to carry oversized junk in the others (or in the key and signature) into every
 * pre-prepare.
 */
public final class Authenticators {

    private Authenticators() {}

    /**
     * Whether the client had a session with at least n - f replicas when it made the request. With
     * fewer, two or more backups would have to verify its signature instead of a MAC entry, 70
     * times the cost: the request is refused, and the client's retransmission, made once more
     * sessions exist, ordered instead. (Safety and progress do not depend on it: a backup falls
     * back to the signature whenever its entry does not verify.)
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

    /**
     * One entry per replica, each a MAC or empty; a client key and signature of their lengths, or
     * none. (The primary proposes only signed requests; an unsigned one in a pre-prepare is
     * authentic only to the replicas whose MAC entry verifies.)
     */
    public static boolean wellFormed(Request request, int replicaCount) {
        if (request.authenticator().size() != replicaCount
                || !emptyOr(request.clientKey(), SigningKey.PUBLIC_KEY_BYTES)
                || !emptyOr(request.signature(), SigningKey.SIGNATURE_BYTES)) {
            return false;
        }
        for (ByteString entry : request.authenticator()) {
            if (!entry.isEmpty() && entry.size() != SessionKey.MAC_BYTES) {
                return false;
            }
        }
        return true;
    }

    private static boolean emptyOr(ByteString field, int length) {
        return field.isEmpty() || field.size() == length;
    }
}
