package io.pbft.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pbft.crypto.SignatureVerifier;
import io.pbft.crypto.SigningKey;
import io.pbft.driver.DropReason;
import io.pbft.driver.FrameSink;
import io.pbft.transport.Connection;
import io.pbft.transport.LogRateLimit;
import io.pbft.wire.proto.Presence;
import io.pbft.wire.proto.ReplicaEnvelope;
import io.pbft.wire.proto.SignedPresence;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a second process running with this replica's id and key. Replicas run no handshake on
 * their port, and two such processes never talk to each other (each skips its own id), but both
 * talk to the same peers. So each process draws a random incarnation at start and announces it,
 * signed, on every new connection and every {@value #ANNOUNCE_INTERVAL_MILLIS} ms; a peer echoes
 * each announcement it hears to the announcer's <em>configured</em> address. The process there,
 * told by a peer that its id announced an incarnation other than its own, logs an ERROR (at most
 * once a minute) and counts it ({@code duplicate_identity} in the status counters).
 *
 * <p>A restart must not look like a duplicate: a peer may echo the previous process's last
 * announcement to the new one once, but never twice, as nothing announces that incarnation any
 * more. So a report is believed once the same peer made it {@value #REPORTS_TO_BELIEVE} times.
 * An announcement signed with this replica's own key that arrives here with another incarnation
 * is believed at once. A faulty peer can make this replica log the error, never change what it
 * does: the watch only reports.
 */
final class IdentityWatch {

    private static final Logger log = LoggerFactory.getLogger(IdentityWatch.class);

    /** How often a replica announces itself to every peer, besides on each new connection. */
    static final long ANNOUNCE_INTERVAL_MILLIS = 2_000;
    /** How many times one peer must report the same foreign incarnation of this replica. */
    static final int REPORTS_TO_BELIEVE = 2;
    /** Field 6 ({@code presence}) of ReplicaEnvelope, length-delimited: the first byte of a presence frame. */
    private static final int PRESENCE_TAG = (6 << 3) | 2;
    /** Signed before the presence bytes, so that no protocol signature can pass for a presence, nor the reverse. */
    private static final byte[] DOMAIN = "pbft presence".getBytes(StandardCharsets.US_ASCII);
    private static final long LOG_INTERVAL_SECONDS = 60;
    /** A quarter of the announce interval: each peer's regular announcements are all echoed. */
    private static final long ECHO_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(ANNOUNCE_INTERVAL_MILLIS / 4);

    private final int self;
    private final long incarnation;
    private final SigningKey key;
    private final byte[][] publicKeys;
    private final FrameSink peers;
    private final NodeMetrics metrics;
    private final byte[] announcement;
    private final LogRateLimit errorLog = new LogRateLimit(LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
    // Guarded by this: per peer, the last foreign incarnation of this replica it reported, and how often.
    private final long[] foreignReported;
    private final int[] foreignReports;
    // Guarded by this: per peer, the incarnation last echoed, its signed echo, and when it was sent.
    private final long[] echoedIncarnation;
    private final byte[][] echoFrames;
    private final long[] echoedAtNanos;

    /**
     * @param incarnation this process's random number, not 0
     * @param peers where frames to a peer's configured address go
     */
    IdentityWatch(int self, long incarnation, SigningKey key, byte[][] publicKeys, FrameSink peers,
            NodeMetrics metrics) {
        if (incarnation == 0) {
            throw new IllegalArgumentException("incarnation 0 means none");
        }
        this.self = self;
        this.incarnation = incarnation;
        this.key = key;
        this.publicKeys = publicKeys.clone();
        this.peers = peers;
        this.metrics = metrics;
        this.announcement = frame(Presence.newBuilder().setReplica(self).setIncarnation(incarnation).build());
        this.foreignReported = new long[publicKeys.length];
        this.foreignReports = new int[publicKeys.length];
        this.echoedIncarnation = new long[publicKeys.length];
        this.echoFrames = new byte[publicKeys.length][];
        this.echoedAtNanos = new long[publicKeys.length];
    }

    /** Whether a frame from the replica port is a presence, not a protocol envelope. */
    static boolean isPresence(byte[] frame) {
        return frame.length > 0 && (frame[0] & 0xff) == PRESENCE_TAG;
    }

    /** This process's signed announcement, to send on a new connection. */
    byte[] announcement() {
        return announcement;
    }

    long incarnation() {
        return incarnation;
    }

    /** Announces this process to every peer's configured address. */
    void announceToPeers() {
        for (int peer = 0; peer < publicKeys.length; peer++) {
            if (peer != self) {
                peers.send(peer, announcement);
            }
        }
    }

    /** A presence frame arrived on {@code connection}: echo an announcement, check an echo. */
    void onFrame(Connection connection, byte[] frame) {
        Presence presence = verified(frame);
        if (presence == null) {
            return;
        }
        int from = presence.getReplica();
        if (from == self) {
            if (presence.getIncarnation() != incarnation) {
                duplicate("a process announced itself with this replica's key, as incarnation {}, on a connection"
                        + " from {}", Long.toHexString(presence.getIncarnation()), connection.remoteAddress());
            }
            return;
        }
        if (presence.getHeardIncarnation() == 0) {
            byte[] echo = echo(from, presence.getIncarnation());
            if (echo != null) {
                peers.send(from, echo);
            }
        } else if (presence.getHeardReplica() == self && presence.getHeardIncarnation() != incarnation
                && reportedAgain(from, presence.getHeardIncarnation())) {
            duplicate("replica {} heard this replica's id announce incarnation {}", from,
                    Long.toHexString(presence.getHeardIncarnation()));
        }
    }

    /**
     * The echo of {@code peer}'s announcement of {@code heard}, or null to send none: the same
     * announcement replayed (by anyone: it is signed, not secret) is echoed at most every
     * {@link #ECHO_GAP_NANOS}, and never signed twice, so replays cost this replica no signature and
     * its peer no flood. Another incarnation is echoed at once: that is what the watch is for.
     */
    private synchronized byte[] echo(int peer, long heard) {
        long now = System.nanoTime();
        if (echoedIncarnation[peer] == heard && echoFrames[peer] != null) {
            if (now - echoedAtNanos[peer] < ECHO_GAP_NANOS) {
                return null;
            }
        } else {
            echoedIncarnation[peer] = heard;
            echoFrames[peer] = frame(Presence.newBuilder().setReplica(self).setIncarnation(incarnation)
                    .setHeardReplica(peer).setHeardIncarnation(heard).build());
        }
        echoedAtNanos[peer] = now;
        return echoFrames[peer];
    }

    /** Counts one report by {@code peer} of {@code foreign}; whether that peer has now made it often enough. */
    private synchronized boolean reportedAgain(int peer, long foreign) {
        if (foreignReported[peer] != foreign) {
            foreignReported[peer] = foreign;
            foreignReports[peer] = 0;
        }
        foreignReports[peer]++;
        return foreignReports[peer] >= REPORTS_TO_BELIEVE;
    }

    private void duplicate(String what, Object first, Object second) {
        metrics.duplicateIdentity();
        long unlogged = errorLog.permit();
        if (unlogged >= 0) {
            log.error("replica {} (incarnation {}): another process runs with this replica's id and key: " + what
                    + "; stop one of them, each replica must run once ({} more such reports not logged)", self,
                    Long.toHexString(incarnation), first, second, unlogged);
        }
    }

    /** The presence in {@code frame} if it is well formed and signed by the replica it names; else null, counted. */
    private Presence verified(byte[] frame) {
        ReplicaEnvelope envelope;
        Presence presence;
        try {
            envelope = ReplicaEnvelope.parseFrom(frame);
            presence = Presence.parseFrom(envelope.getPresence().getPresence());
        } catch (InvalidProtocolBufferException e) {
            metrics.drop(DropReason.MALFORMED_FRAME);
            return null;
        }
        if (!envelope.getPayload().isEmpty() || envelope.getBatchCount() > 0
                || envelope.getProofCase() != ReplicaEnvelope.ProofCase.PROOF_NOT_SET || presence.getIncarnation() == 0) {
            metrics.drop(DropReason.MALFORMED_FRAME);
            return null;
        }
        int replica = presence.getReplica(); // uint32: values past 2^31 arrive negative
        if (replica < 0 || replica >= publicKeys.length) {
            metrics.drop(DropReason.UNKNOWN_SENDER);
            return null;
        }
        byte[] signature = envelope.getPresence().getSignature().toByteArray();
        if (!SignatureVerifier.verify(publicKeys[replica], signed(envelope.getPresence().getPresence()), signature)) {
            metrics.drop(DropReason.BAD_SIGNATURE);
            return null;
        }
        return presence;
    }

    private byte[] frame(Presence presence) {
        ByteString bytes = presence.toByteString();
        return ReplicaEnvelope.newBuilder()
                .setPresence(SignedPresence.newBuilder().setPresence(bytes)
                        .setSignature(ByteString.copyFrom(key.sign(signed(bytes)))))
                .build()
                .toByteArray();
    }

    private static byte[] signed(ByteString presence) {
        byte[] message = new byte[DOMAIN.length + presence.size()];
        System.arraycopy(DOMAIN, 0, message, 0, DOMAIN.length);
        presence.copyTo(message, DOMAIN.length);
        return message;
    }
}
