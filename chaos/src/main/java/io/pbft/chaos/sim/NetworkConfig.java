package io.pbft.chaos.sim;

import java.util.Objects;

/**
 * How the simulated network treats every message (replica to replica, client to replica and
 * replica to client): each is lost with {@code lossProbability}; otherwise it arrives after a delay
 * drawn from {@code delayDistribution} between {@code minDelayMillis} and {@code maxDelayMillis},
 * a second copy arrives with {@code duplicateProbability}, and with {@code reorderProbability} a
 * copy is held back several maximum delays so that later messages overtake it. Random delays
 * reorder messages anyway; the knob makes long overtakes common.
 */
public record NetworkConfig(
        long minDelayMillis,
        long maxDelayMillis,
        DelayDistribution delayDistribution,
        double lossProbability,
        double duplicateProbability,
        double reorderProbability) {

    /** How delays spread between the minimum and the maximum. */
    public enum DelayDistribution {
        /** Every delay in [min, max] equally likely. */
        UNIFORM,
        /** Most delays near the minimum, a long tail up to the maximum (mean a quarter of the range). */
        EXPONENTIAL
    }

    public static final NetworkConfig DEFAULT = new NetworkConfig(1, 20, DelayDistribution.UNIFORM, 0, 0, 0);

    public NetworkConfig {
        Objects.requireNonNull(delayDistribution, "delayDistribution");
        if (minDelayMillis < 0 || maxDelayMillis < minDelayMillis) {
            throw new IllegalArgumentException("delays must satisfy 0 <= min <= max, were min " + minDelayMillis
                    + " ms, max " + maxDelayMillis + " ms");
        }
        requireProbability("lossProbability", lossProbability);
        requireProbability("duplicateProbability", duplicateProbability);
        requireProbability("reorderProbability", reorderProbability);
    }

    public NetworkConfig withLoss(double probability) {
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, probability,
                duplicateProbability, reorderProbability);
    }

    public NetworkConfig withDuplication(double probability) {
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability, probability,
                reorderProbability);
    }

    public NetworkConfig withReordering(double probability) {
        return new NetworkConfig(minDelayMillis, maxDelayMillis, delayDistribution, lossProbability,
                duplicateProbability, probability);
    }

    public NetworkConfig withDelay(long newMinDelayMillis, long newMaxDelayMillis, DelayDistribution distribution) {
        return new NetworkConfig(newMinDelayMillis, newMaxDelayMillis, distribution, lossProbability,
                duplicateProbability, reorderProbability);
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
