package io.pbft.chaos.behaviour;

import io.pbft.core.MessageSigner;
import java.util.Random;

/**
 * What a behaviour may know when it acts: which replica it drives, the cluster size, the simulated
 * time, the run's single random source (the only one, so runs replay from their seed), and its own
 * replica's signer, so that what it alters or invents is signed as that replica would sign it (and
 * nothing else: it cannot sign as another replica).
 */
public record BehaviourContext(int replica, int replicaCount, long nowMillis, Random random, MessageSigner signer) {}
