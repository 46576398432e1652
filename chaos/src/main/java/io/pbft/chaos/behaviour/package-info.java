/**
 * Replica behaviours: the hook between a replica's {@link io.pbft.core.Effects} and the simulated
 * network, where Byzantine faults (dropping, altering, equivocating, replaying) will live. Today
 * only the honest identity behaviour exists. A behaviour cannot make the network forge another
 * replica's identity: the network always names the real sender.
 *
 * <p>May not hold: changes to the core, or randomness other than the run's own source.
 */
package io.pbft.chaos.behaviour;
