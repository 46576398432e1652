package io.pbft.wire;

import com.google.protobuf.ByteString;

/**
 * Two messages {@code sender} signed that no correct replica signs together, each as received
 * (envelope and signature), so that anyone with the sender's public key can check them without
 * trusting the replica that kept them. A replica keeps them; a status report carries them to
 * clients and the command line.
 *
 * @param kind {@link #PRE_PREPARE}, {@link #PREPARE} or {@link #CHECKPOINT}
 * @param view the messages' view; 0 for checkpoints, which have none
 */
public record ProvenEquivocation(int sender, String kind, long view, long sequence, ByteString first, ByteString second) {

    public static final String PRE_PREPARE = "PRE-PREPARE";
    public static final String PREPARE = "PREPARE";
    public static final String CHECKPOINT = "CHECKPOINT";

    /** One line for a log or a terminal. */
    public String describe() {
        String where = kind.equals(CHECKPOINT) ? "sequence number " + sequence
                : "view " + view + ", sequence number " + sequence;
        return "replica " + sender + " signed two different " + kind + " messages for " + where;
    }
}
