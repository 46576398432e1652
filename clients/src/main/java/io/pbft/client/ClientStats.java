package io.pbft.client;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link PbftClient}, updated from any thread. A rejected reply is ignored: it
 * never counts towards the f + 1 matching replies a result needs.
 */
public final class ClientStats {

    private final LongAdder repliesAccepted = new LongAdder();
    private final LongAdder repliesRejectedBadMac = new LongAdder();
    private final LongAdder repliesRejectedMismatched = new LongAdder();
    private final LongAdder framesMalformed = new LongAdder();
    private final LongAdder handshakesCompleted = new LongAdder();
    private final LongAdder handshakesFailed = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder requestsCompleted = new LongAdder();
    private final LongAdder requestsTimedOut = new LongAdder();
    private final LongAdder readOnlyAnswered = new LongAdder();
    private final LongAdder readOnlyOrdered = new LongAdder();

    ClientStats() {}

    /** Replies with a valid MAC, from the replica they name, to this client: offered to the quorum. */
    public long repliesAccepted() {
        return repliesAccepted.sum();
    }

    /** Replies whose MAC did not verify under the connection's session key, or that came before any session. */
    public long repliesRejectedBadMac() {
        return repliesRejectedBadMac.sum();
    }

    /** Replies with a valid MAC that name another replica than the connection's, or another client, or do not decode. */
    public long repliesRejectedMismatched() {
        return repliesRejectedMismatched.sum();
    }

    /** Frames from a replica that do not parse, or of an unknown kind. */
    public long framesMalformed() {
        return framesMalformed.sum();
    }

    public long handshakesCompleted() {
        return handshakesCompleted.sum();
    }

    /** Server hellos that did not verify under the replica's configured key; each closed its connection. */
    public long handshakesFailed() {
        return handshakesFailed.sum();
    }

    /** Rounds of sending the outstanding request to every replica after no result came in time. */
    public long retransmissions() {
        return retransmissions.sum();
    }

    public long requestsCompleted() {
        return requestsCompleted.sum();
    }

    public long requestsTimedOut() {
        return requestsTimedOut.sum();
    }

    /** Read-only requests answered by 2f + 1 matching replies, without ordering. */
    public long readOnlyAnswered() {
        return readOnlyAnswered.sum();
    }

    /** Read-only requests whose replies did not agree in time, sent again as ordered requests. */
    public long readOnlyOrdered() {
        return readOnlyOrdered.sum();
    }

    void answeredReadOnly() {
        readOnlyAnswered.increment();
    }

    void orderedReadOnly() {
        readOnlyOrdered.increment();
    }

    void replyAccepted() {
        repliesAccepted.increment();
    }

    void replyRejectedBadMac() {
        repliesRejectedBadMac.increment();
    }

    void replyRejectedMismatched() {
        repliesRejectedMismatched.increment();
    }

    void frameMalformed() {
        framesMalformed.increment();
    }

    void handshakeCompleted() {
        handshakesCompleted.increment();
    }

    void handshakeFailed() {
        handshakesFailed.increment();
    }

    void retransmitted() {
        retransmissions.increment();
    }

    void requestCompleted() {
        requestsCompleted.increment();
    }

    void requestTimedOut() {
        requestsTimedOut.increment();
    }

    @Override
    public String toString() {
        return "ClientStats[repliesAccepted=" + repliesAccepted() + ", repliesRejectedBadMac=" + repliesRejectedBadMac()
                + ", repliesRejectedMismatched=" + repliesRejectedMismatched() + ", framesMalformed="
                + framesMalformed() + ", handshakesCompleted=" + handshakesCompleted() + ", handshakesFailed="
                + handshakesFailed() + ", retransmissions=" + retransmissions() + ", requestsCompleted="
                + requestsCompleted() + ", requestsTimedOut=" + requestsTimedOut() + ", readOnlyAnswered="
                + readOnlyAnswered() + ", readOnlyOrdered=" + readOnlyOrdered() + "]";
    }
}
