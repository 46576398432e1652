package io.pbft.chaos.sim;

import io.pbft.chaos.check.RunHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The run's replicas, each as its current incarnation on a disk of its own that outlives it:
 * whether it is down (crashed, not yet restarted), and what its crashed incarnations did.
 */
final class Replicas {

    /** Each replica's current incarnation; while it is down, the one that crashed. */
    private final List<SimReplica> current = new ArrayList<>();
    private final List<ReplicaDisk> disks = new ArrayList<>();
    private final List<List<RunHistory.Incarnation>> crashed = new ArrayList<>();
    private final boolean[] down;

    Replicas(int replicaCount, long seed) {
        down = new boolean[replicaCount];
        for (int id = 0; id < replicaCount; id++) {
            // A random source of its own per disk, drawn from only when it crashes: crashes never
            // shift the network's draws, and runs without them are what they were before disks.
            disks.add(new ReplicaDisk(new Random(seed * 31 + id)));
            crashed.add(new ArrayList<>());
            current.add(null);
        }
    }

    int size() {
        return current.size();
    }

    SimReplica get(int id) {
        return current.get(id);
    }

    /** Every replica's current incarnation, by id. */
    List<SimReplica> all() {
        return current;
    }

    ReplicaDisk disk(int id) {
        return disks.get(id);
    }

    boolean isDown(int id) {
        return down[id];
    }

    /** The replica starts, or restarts, as {@code replica}. */
    void started(SimReplica replica) {
        current.set(replica.id, replica);
        down[replica.id] = false;
    }

    /** Replica {@code id} crashes: its incarnation ends, and its disk loses what was not synced. */
    void crash(int id) {
        crashed.get(id).add(current.get(id).history());
        down[id] = true;
        disks.get(id).crash();
    }

    /** Per replica, what each of its incarnations did, in order, for the run's history. */
    List<List<RunHistory.Incarnation>> incarnations() {
        List<List<RunHistory.Incarnation>> incarnations = new ArrayList<>();
        for (int id = 0; id < current.size(); id++) {
            List<RunHistory.Incarnation> all = new ArrayList<>(crashed.get(id));
            if (!down[id]) {
                all.add(current.get(id).history());
            }
            incarnations.add(all);
        }
        return incarnations;
    }

    /** Per replica, whether it is down now. */
    boolean[] down() {
        return down.clone();
    }
}
