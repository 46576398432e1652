package io.pbft.client;

import io.pbft.wire.ProvenEquivocation;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one replica reported about its progress, or that it could not be reached.
 *
 * @param primary the primary of {@code view}
 * @param changingView whether the replica has left its previous view and waits for {@code view}'s
 *     new-view message
 * @param needsState whether a quorum certified a checkpoint above {@code lastExecuted}: the replica
 *     fell too far behind to catch up from its peers' logs
 * @param stateDigestHex the state digest after {@code lastExecuted}, in hex; empty when unreachable
 * @param lowWatermark the sequence number of the replica's stable checkpoint, which its log starts after
 * @param counters the replica's non-zero counters of dropped and rejected inputs, and of what state transfer
 *     fetched since it started ({@code state_transfer.*}), by name
 * @param highestSequence the highest sequence number the replica assigned or accepted in {@code view}:
 *     above {@code lastExecuted}, work waits to execute
 */
public record ReplicaStatus(int id, boolean reachable, long view, int primary, boolean changingView,
        boolean needsState, long lastExecuted, String stateDigestHex, long lowWatermark,
        SortedMap<String, Long> counters, long highestSequence, List<ProvenEquivocation> evidence) {

    public ReplicaStatus {
        counters = Collections.unmodifiableSortedMap(new TreeMap<>(counters));
        evidence = List.copyOf(evidence);
    }

    /** A status holding no proofs of equivocation. */
    public ReplicaStatus(int id, boolean reachable, long view, int primary, boolean changingView, boolean needsState,
            long lastExecuted, String stateDigestHex, long lowWatermark, SortedMap<String, Long> counters,
            long highestSequence) {
        this(id, reachable, view, primary, changingView, needsState, lastExecuted, stateDigestHex, lowWatermark,
                counters, highestSequence, List.of());
    }

    /** A status with no work waiting: {@code highestSequence} is {@code lastExecuted}. */
    public ReplicaStatus(int id, boolean reachable, long view, int primary, boolean changingView, boolean needsState,
            long lastExecuted, String stateDigestHex, long lowWatermark, SortedMap<String, Long> counters) {
        this(id, reachable, view, primary, changingView, needsState, lastExecuted, stateDigestHex, lowWatermark,
                counters, lastExecuted);
    }

    /** The status of a replica that did not answer in time. */
    public static ReplicaStatus unreachable(int id) {
        return new ReplicaStatus(id, false, 0, 0, false, false, 0, "", 0, new TreeMap<>());
    }

    /** The sequence number of its stable checkpoint: its low watermark. */
    public long stableCheckpoint() {
        return lowWatermark;
    }

    /** Whether work waits to execute: it assigned or accepted a sequence number above what it executed. */
    public boolean holdsWork() {
        return reachable && highestSequence > lastExecuted;
    }

    /** Whether every one of {@code statuses} answered and works in the same view, none changing views. */
    public static boolean workInOneView(List<ReplicaStatus> statuses) {
        return !statuses.isEmpty() && statuses.stream().allMatch(s -> s.reachable() && !s.changingView()
                && s.view() == statuses.get(0).view());
    }
}
