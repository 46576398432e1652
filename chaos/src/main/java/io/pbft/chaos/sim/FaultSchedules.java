package io.pbft.chaos.sim;

import java.util.Random;
import java.util.TreeSet;

/**
 * Random schedules of network and process faults, drawn from a run's seed: a LAN or a
 * multi-datacenter WAN, loss and duplication, up to two partitions (any split, symmetric or one-way,
 * the primary alone among them), a pause as long as a full stop-the-world collection, and clocks that
 * drift apart. Written into the run's config, so its replay command names every fault and replays
 * it without this class.
 */
public final class FaultSchedules {

    /** Replica to replica on one site: sub-millisecond to a few milliseconds. */
    public static final NetworkConfig LAN = NetworkConfig.DEFAULT.withDelay(0, 3, NetworkConfig.DelayDistribution.UNIFORM);
    /** Across datacenters: tens of milliseconds, with a long tail. */
    public static final NetworkConfig WAN =
            NetworkConfig.DEFAULT.withDelay(20, 200, NetworkConfig.DelayDistribution.EXPONENTIAL);

    private static final long SPAN_START_MAX_MILLIS = 3_000;
    private static final long SPAN_LENGTH_MAX_MILLIS = 4_000;

    private FaultSchedules() {}

    /** {@code config} with faults drawn from its seed (and nothing else: the same seed, the same faults). */
    public static SimulationConfig random(SimulationConfig config) {
        Random draw = new Random(config.seed() * 0x9E3779B97F4A7C15L + 0xFA17);
        int n = config.replicaCount();
        NetworkConfig network = (draw.nextBoolean() ? LAN : WAN).withLoss(draw.nextInt(3) * 0.03)
                .withDuplication(draw.nextInt(2) * 0.05).withReordering(draw.nextInt(2) * 0.1);
        int partitions = draw.nextInt(3);
        for (int i = 0; i < partitions; i++) {
            TreeSet<Integer> side = new TreeSet<>();
            int size = 1 + draw.nextInt(n - 1);
            while (side.size() < size) {
                side.add(draw.nextInt(n));
            }
            long from = draw.nextInt((int) SPAN_START_MAX_MILLIS);
            network = network.withPartition(new Partition(side, from, from + 1 + draw.nextInt((int) SPAN_LENGTH_MAX_MILLIS),
                    draw.nextInt(3) == 0));
        }
        SimulationConfig faulty = config.withNetwork(network);
        if (draw.nextBoolean()) {
            long from = draw.nextInt((int) SPAN_START_MAX_MILLIS);
            faulty = faulty.withPause(new Pause(draw.nextInt(n), from, from + 1 + draw.nextInt((int) SPAN_LENGTH_MAX_MILLIS)));
        }
        if (draw.nextBoolean()) {
            faulty = faulty.withClockDrift(0.05 * (1 + draw.nextInt(6)));
        }
        return faulty;
    }
}
