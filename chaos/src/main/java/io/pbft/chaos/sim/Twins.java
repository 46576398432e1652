package io.pbft.chaos.sim;

import io.pbft.chaos.behaviour.Behaviours;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Twins (Bano et al., 2020): one faulty replica acts as two, each an honest process with the
 * replica's identity and keys, unaware of the other. Its peers are split between them, drawn from
 * the seed: a peer's messages reach one twin, both twins' messages reach every peer, and each
 * delivery of a client's request reaches one twin or the other. So each twin can gather its own
 * quorums, and as primary each orders its own batches: what one equivocating node can do, without a
 * line of code written to equivocate.
 *
 * <p>The first twin is the replica itself; this holds the second of each, at address id + n.
 */
final class Twins {

    /** Starts a replica's process at an address of its own, on a disk of its own. */
    @FunctionalInterface
    interface Starter {
        SimReplica start(int id, int address, ReplicaDisk disk) throws IOException;
    }

    private final int replicaCount;
    /** The second process of each twinned replica: the same id and keys, its own disk and service, an honest core of its own. */
    private final SortedMap<Integer, SimReplica> second = new TreeMap<>();
    /** For each twinned replica, the peers whose messages reach the second twin rather than the first. */
    private final SortedMap<Integer, Set<Integer>> secondsPeers = new TreeMap<>();

    private Twins(int replicaCount) {
        this.replicaCount = replicaCount;
    }

    /** The second twins of every replica the config runs as {@link Behaviours#TWIN}, started and recovered. */
    static Twins start(SimulationConfig config, Starter starter) {
        int n = config.replicaCount();
        Twins twins = new Twins(n);
        for (int id = 0; id < n; id++) {
            if (!config.behaviourOf(id).equals(Behaviours.TWIN)) {
                continue;
            }
            // Drawn from a source of its own, so runs without twins keep the run's random stream as it was.
            Random sides = new Random(config.seed() * 0x9E3779B97F4A7C15L + 0x7C1 + id);
            Set<Integer> peers = new TreeSet<>();
            for (int peer = 0; peer < n; peer++) {
                if (peer != id && sides.nextBoolean()) {
                    peers.add(peer);
                }
            }
            SimReplica twin;
            try {
                twin = starter.start(id, id + n, new ReplicaDisk(new Random(config.seed() * 31 + id + n)));
                twin.recoverFromDisk();
            } catch (IOException e) {
                throw new UncheckedIOException("an empty simulated disk does not open", e);
            }
            twins.second.put(id, twin);
            twins.secondsPeers.put(id, peers);
        }
        return twins;
    }

    /** The process a frame from {@code from} to replica {@code to} reaches: the address of one of its twins, if it has them. */
    int routed(int to, int from) {
        Set<Integer> peers = secondsPeers.get(to);
        return peers != null && peers.contains(from) ? second.get(to).address : to;
    }

    /**
     * The process a client's request to replica {@code to} reaches: one twin or the other, at random
     * (drawn only for a twinned replica), so that as primaries they order different batches for the
     * same sequence numbers.
     */
    int routedRequest(int to, Random random) {
        return second.containsKey(to) && random.nextBoolean() ? second.get(to).address : to;
    }

    /** The second twin at {@code address} (id + n). */
    SimReplica atAddress(int address) {
        return second.get(address - replicaCount);
    }

    /** Every second twin, by the id of its replica. */
    Collection<SimReplica> seconds() {
        return second.values();
    }
}
