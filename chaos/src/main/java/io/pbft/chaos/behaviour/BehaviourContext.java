package io.pbft.chaos.behaviour;

import java.util.Random;

/**
 * What a behaviour may know when it acts: which replica it drives, the cluster size, the simulated
 * time, and the run's single random source (the only one, so runs replay from their seed).
 */
public record BehaviourContext(int replica, int replicaCount, long nowMillis, Random random) {}
