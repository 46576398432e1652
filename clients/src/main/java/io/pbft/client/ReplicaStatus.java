package io.pbft.client;

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
 * @param counters the replica's non-zero counters of dropped and rejected inputs, and of what state transfer
 *     fetched since it started ({@code state_transfer.*}), by name
 */
public record ReplicaStatus(int id, boolean reachable, long view, int primary, boolean changingView,
        boolean needsState, long lastExecuted, String stateDigestHex, long lowWatermark,
        SortedMap<String, Long> counters) {

    public ReplicaStatus {
        counters = Collections.unmodifiableSortedMap(new TreeMap<>(counters));
    }

    /** The status of a replica that did not answer in time. */
    public static ReplicaStatus unreachable(int id) {
        return new ReplicaStatus(id, false, 0, 0, false, false, 0, "", 0, new TreeMap<>());
    }

    /** Whether every one of {@code statuses} answered and works in the same view, none changing views. */
    public static boolean workInOneView(List<ReplicaStatus> statuses) {
        return !statuses.isEmpty() && statuses.stream().allMatch(s -> s.reachable() && !s.changingView()
                && s.view() == statuses.get(0).view());
    }
}
