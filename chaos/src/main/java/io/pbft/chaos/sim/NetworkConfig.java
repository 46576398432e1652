package io.pbft.chaos.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the simulated network treats every message (replica to replica, client to replica and
 * replica to client): each is lost with {@code lossProbability}; otherwise it arrives after a delay
 * drawn from {@code delayDistribution} between {@code minDelayMillis} and {@code maxDelayMillis},
 * a second copy arrives with {@code duplicateProbability}, and with {@code reorderProbability} a
 * copy is held back several maximum delays so that later messages overtake it. Random delays
 * reorder messages anyway; the knob makes long overtakes common. During each of {@code cuts}, one
 * replica is cut off: nothing it sends, and nothing sent to it, arrives (a partition, a pulled
 * cable, a machine paused for a long time); during each of {@code partitions}, a group of replicas
 * and the rest do not hear each other, both ways or one way ({@link Partition}).
 */
public record NetworkConfig(
        long minDelayMillis,
        long maxDelayMillis,
        DelayDistribution delayDistribution,
        double lossProbability,
        double duplicateProbability,
        double reorderProbability,
        List<Cut> cuts,
        List<Partition> partitions) {

    /** Replica {@code replica} is cut off from everyone from {@code fromMillis} until {@code untilMillis}. */
    public record Cut(int replica, long fromMillis, long untilMillis) {
        public Cut {
            if (fromMillis < 0 || untilMillis < fromMillis) {
                throw new IllegalArgumentException("a cut must satisfy 0 <= from <= until, was " + fromMillis + ".."
                        + untilMillis + " ms");
            }
        }

        boolean isolates(int node, long nowMillis) {
            return node == replica && nowMillis >= fromMillis && nowMillis < untilMillis;
        }

        /** The command-line form, {@code R@FROM-UNTIL}. */
        @Override
        public String toString() {
            return new ReplicaSpan(replica, fromMillis, untilMillis).toString();
        }

        /** Parses the command-line form {@code R@FROM-UNTIL}. */
        public static Cut parse(String text) {
            ReplicaSpan span = ReplicaSpan.parse(text, "a cut", "3@500-4000");
            return new Cut(span.replica(), span.fromMillis(), span.untilMillis());
        }
    }

    /** How delays spread between the minimum and the maximum. */
    public enum DelayDistribution {
        /** Every delay in [min, max] equally likely. */
        UNIFORM,
        /** Most delays near the minimum, a long tail up to the maximum (mean a quarter of the range). */
        EXPONENTIAL
    }

    public static final NetworkConfig DEFAULT = new NetworkConfig(1, 20, DelayDistribution.UNIFORM, 0, 0, 0, List.of(), List.of());

    public NetworkConfig {
        Objects.requireNonNull(delayDistribution, "delayDistribution");
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis) {
            throw new IllegalArgumentException("delays must satisfy 0 <= min <= max, were min " + minDelayMillis
                    + " ms, max " + maxDelayMillis + " ms");
        }
        requireProbability("lossProbability", lossProbability);
        requireProbability("duplicateProbability", duplicateProbability);
        requireProbability("reorderProbability", reorderProbability);
        cuts = List.copyOf(cuts);
        partitions = List.copyOf(partitions);
    }

    /** Backwards-compatible form without cuts. */
    public NetworkConfig(long minDelayMillis, long maxDelayMillis, DelayDistribution delayDistribution,
            double lossProbability, double duplicateProbability, double reorderProbability) {
        this(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability, duplicateProbability,
                reorderProbability, List.of(), List.of());
    }

    /** Whether {@code node} is cut off at {@code nowMillis}. */
    boolean isCutOff(int node, long nowMillis) {
        for (Cut cut : cuts) {
            if (cut.isolates(node, nowMillis)) {
                return true;
            }
        }
        return false;
    }

    public NetworkConfig withCut(Cut cut) {
        List<Cut> more = new ArrayList<>(cuts);
        more.add(cut);
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability,
                duplicateProbability, reorderProbability, more, partitions);
    }

    public NetworkConfig withPartition(Partition partition) {
        List<Partition> more = new ArrayList<>(partitions);
        more.add(partition);
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability,
                duplicateProbability, reorderProbability, cuts, more);
    }

    /** Whether a partition loses a message from replica {@code from} to replica {@code to} at {@code nowMillis}. */
    boolean partitioned(int from, int to, long nowMillis) {
        for (Partition partition : partitions) {
            if (partition.blocks(from, to, nowMillis)) {
                return true;
            }
        }
        return false;
    }

    public NetworkConfig withLoss(double probability) {
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, probability,
                duplicateProbability, reorderProbability, cuts, partitions);
    }

    public NetworkConfig withDuplication(double probability) {
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability, probability,
                reorderProbability, cuts, partitions);
    }

    public NetworkConfig withReordering(double probability) {
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability,
                duplicateProbability, probability, cuts, partitions);
    }

    public NetworkConfig withDelay(long newMinDelayMillis, long newMaxDelayMillis, DelayDistribution distribution) {
        return new NetworkConfig(newMinDelayMillis, newMaxDelayMillis, distribution, lossProbability,
                duplicateProbability, reorderProbability, cuts, partitions);
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
