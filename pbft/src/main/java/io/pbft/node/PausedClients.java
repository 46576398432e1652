package io.pbft.node;

import io.pbft.core.Replica;
import io.pbft.core.ReplicaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client connections the client port paused, and when each is read again: once the core has
 * room for its client's requests, and, for a client that pipelines or floods beside others, once
 * {@link #SPACING} more sequence numbers executed. So a client is read no faster than the core
 * orders its requests, and a flood cannot take a batch of its own after every execution. Pauses
 * are added from I/O threads; everything else runs on the core thread, after a drain of requests
 * or an input.
 */
final class PausedClients {

    /**
     * Sequence numbers that must execute, beyond the one a paused client's requests would take,
     * before it is read again, when it had more than one request waiting or in flight in the core
     * beside other clients' (one that pipelines or floods; a client waiting for each reply has at
     * most one). Resuming it as soon as its own requests executed let a flood take a batch of
     * its own after every execution: with n = 4 replicas on two cores each batch costs every
     * replica its three phases, and a well-behaved client's median under a request flood was 2 to
     * 4.5 times its quiet one (bench/results/fairness-20261206-share.md). Spaced so, a flooder has
     * at most one sequence number in {@code SPACING + 1} while others are served; alone, it is not
     * spaced.
     */
    static final int SPACING = 4;
    /** A {@link #spacedUntil} that every sequence number passes. */
    static final long NOT_SPACED = Long.MIN_VALUE;
    private static final Logger log = LoggerFactory.getLogger(PausedClients.class);

    private final Replica replica;
    /** False once the loop closes: then every paused client is resumed at once. */
    private final BooleanSupplier accepting;
    /** Pauses since the last drain; the drain hands their clients' requests to the core first. */
    private final Queue<Resume> afterDrain = new ConcurrentLinkedQueue<>();
    /** Touched on the core thread only. */
    private List<Resume> waitingForRoom = new ArrayList<>();

    PausedClients(Replica replica, BooleanSupplier accepting) {
        this.replica = replica;
        this.accepting = accepting;
    }

    /** A paused connection of {@code clientId}, to resume once the core has room for {@code room} of its requests. */
    void add(long clientId, int room, Runnable resume) {
        afterDrain.add(new Resume(clientId, room, resume));
    }

    /** The loop is closing (no drain will come): every connection paused since the last drain is resumed now. */
    void resumeAllNow() {
        for (Resume due = afterDrain.poll(); due != null; due = afterDrain.poll()) {
            due.run();
        }
    }

    /** On the core thread, after a drain. */
    void afterDrain() {
        // Only those queued so far: a resumed connection delivers its held frames inline, and may
        // pause again and queue its resume for the next drain, which must not run in this one.
        for (Resume due = afterDrain.poll(); due != null; due = afterDrain.poll()) {
            due.spacedUntil = spacedUntil(replica.servesOthersThan(due.clientId), replica.roomFor(due.clientId),
                    replica.highestSequence());
            waitingForRoom.add(due);
        }
        resumeThoseWithRoom(false);
    }

    /**
     * On the core thread, after every input: the core may have proposed or executed a waiting
     * client's requests. A spaced client is resumed once its spacing executed, or at a tick when no
     * other client is served any more, so that one left alone is not held by sequence numbers
     * nobody will fill.
     */
    void resumeThoseWithRoom(boolean tick) {
        if (waitingForRoom.isEmpty()) {
            return;
        }
        // A fresh list first: a resumed connection's held frames are handled inline and may get here again.
        List<Resume> candidates = waitingForRoom;
        waitingForRoom = new ArrayList<>();
        for (Resume candidate : candidates) {
            if (!accepting.getAsBoolean() || (replica.roomFor(candidate.clientId) >= candidate.room
                    && spacingDone(candidate.spacedUntil, replica.lastExecuted(), tick,
                            replica.servesOthersThan(candidate.clientId)))) {
                candidate.run();
            } else {
                waitingForRoom.add(candidate);
            }
        }
    }

    /**
     * The last sequence number that must execute before a paused client is read again, given, right
     * after the drain that handed its requests to the core, whether other clients are served, its
     * room ({@code Replica.roomFor}) and the highest sequence number assigned; {@link #NOT_SPACED}
     * unless it has more than one request waiting or in flight beside others.
     */
    static long spacedUntil(boolean othersServed, int room, long highestSequence) {
        return othersServed && ReplicaConfig.CLIENT_WINDOW - room > 1 ? highestSequence + 1 + SPACING : NOT_SPACED;
    }

    /** Whether a paused client's spacing is over: executed, or at a tick with no other client served. */
    static boolean spacingDone(long spacedUntil, long lastExecuted, boolean tick, boolean othersServed) {
        return spacedUntil <= lastExecuted || (tick && !othersServed);
    }

    /** A paused client connection's resume, and the room its client needs in the core first. */
    private static final class Resume {
        final long clientId;
        final int room;
        final Runnable resume;
        /** The last sequence number that must execute first; set on the core thread after the drain. */
        long spacedUntil = NOT_SPACED;

        Resume(long clientId, int room, Runnable resume) {
            this.clientId = clientId;
            this.room = room;
            this.resume = resume;
        }

        void run() {
            try {
                resume.run();
            } catch (RuntimeException e) {
                log.warn("resuming a paused client connection failed", e);
            }
        }
    }
}
