package io.pbft.client;

/**
 * What one replica reported about its progress, or that it could not be reached.
 *
 * @param stateDigestHex the state digest after {@code lastExecuted}, in hex; empty when unreachable
 */
public record ReplicaStatus(int id, boolean reachable, long view, long lastExecuted, String stateDigestHex,
        long lowWatermark) {

    /** The status of a replica that did not answer in time. */
    public static ReplicaStatus unreachable(int id) {
        return new ReplicaStatus(id, false, 0, 0, "", 0);
    }
}
