package io.pbft.node;

import io.pbft.transport.Connection;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Network faults on what this replica sends to its peers, set at run time through its fault-control
 * port ({@code replica --fault-control}, {@code scripts/pbft fault}): links cut (every frame to those
 * peers dropped), a drop probability and an added delay for the others. A replica started without
 * the flag has no {@code LinkFaults} at all, and its {@link Outbox} sends as before.
 *
 * <p>Faults act on the sending side only, so one replica's settings make an asymmetric fault; a
 * symmetric partition is a cut on each side. A delay keeps the order of frames to a peer as long as
 * it is not changed (equal delays leave in the order they were scheduled), as a slow link does.
 */
final class LinkFaults {

    /**
     * What is in force: links to the peers in {@code cut} are down; any other frame is dropped with
     * {@code dropProbability} and otherwise sent {@code delayMillis} late.
     */
    record Settings(BitSet cut, double dropProbability, long delayMillis) {

        static final Settings NONE = new Settings(new BitSet(), 0, 0);
        /** Beyond any view-change timeout worth testing; a bound so that a typo cannot park frames for a day. */
        static final long MAX_DELAY_MILLIS = 60_000;

        Settings {
            cut = (BitSet) cut.clone();
            if (!(dropProbability >= 0 && dropProbability <= 1)) {
                throw new IllegalArgumentException("drop probability must be in [0, 1], was " + dropProbability);
            }
            if (delayMillis < 0 || delayMillis > MAX_DELAY_MILLIS) {
                throw new IllegalArgumentException("delay must be in [0, " + MAX_DELAY_MILLIS + "] ms, was "
                        + delayMillis);
            }
        }

        @Override
        public BitSet cut() {
            return (BitSet) cut.clone();
        }

        boolean isCut(int peer) {
            return cut.get(peer);
        }

        boolean none() {
            return cut.isEmpty() && dropProbability == 0 && delayMillis == 0;
        }

        Settings withCut(BitSet peers) {
            return new Settings(peers, dropProbability, delayMillis);
        }

        Settings withDropProbability(double probability) {
            return new Settings(cut, probability, delayMillis);
        }

        Settings withDelayMillis(long millis) {
            return new Settings(cut, dropProbability, millis);
        }

        /** As the control port reports it: {@code cut=0,1 drop=0.2 delay-ms=50}. */
        String describe() {
            String peers = cut.stream().mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElse("none");
            return String.format(Locale.ROOT, "cut=%s drop=%s delay-ms=%d", peers, dropProbability, delayMillis);
        }
    }

    private final int replicaCount;
    private final ScheduledExecutorService delayer;
    private volatile Settings settings = Settings.NONE;
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicLong delayedFrames = new AtomicLong();

    /** Faults on the links to {@code replicaCount} replicas; delayed frames leave from {@code delayer}. */
    LinkFaults(int replicaCount, ScheduledExecutorService delayer) {
        this.replicaCount = replicaCount;
        this.delayer = Objects.requireNonNull(delayer, "delayer");
    }

    Settings settings() {
        return settings;
    }

    /**
     * Puts {@code next} in force for every frame sent from now on.
     *
     * @throws IllegalArgumentException if it cuts a peer that is not in the cluster
     */
    void set(Settings next) {
        int highest = next.cut().length() - 1;
        if (highest >= replicaCount) {
            throw new IllegalArgumentException("replica " + highest + " is not in this cluster of " + replicaCount);
        }
        settings = next;
    }

    long droppedFrames() {
        return droppedFrames.get();
    }

    long delayedFrames() {
        return delayedFrames.get();
    }

    /** Sends {@code frame} to {@code peer} on {@code connection} as the faults in force allow. */
    void send(int peer, Connection connection, byte[] frame) {
        Settings now = settings;
        if (now.none()) {
            connection.send(frame);
            return;
        }
        if (now.isCut(peer) || (now.dropProbability() > 0
                && ThreadLocalRandom.current().nextDouble() < now.dropProbability())) {
            droppedFrames.incrementAndGet();
            return;
        }
        if (now.delayMillis() == 0) {
            connection.send(frame);
            return;
        }
        // The caller may reuse its array once send returns: the delayed send needs its own copy.
        byte[] copy = Arrays.copyOf(frame, frame.length);
        try {
            delayer.schedule(() -> connection.send(copy), now.delayMillis(), TimeUnit.MILLISECONDS);
            delayedFrames.incrementAndGet();
        } catch (RejectedExecutionException e) {
            droppedFrames.incrementAndGet(); // shutting down: the frame goes nowhere, as on a closed link
        }
    }
}
