package io.pbft.chaos.sim;

/**
 * What the simulated network did in a run.
 *
 * @param sent messages handed to the network (a broadcast counts once per recipient)
 * @param dropped messages lost
 * @param duplicated extra copies delivered
 */
public record NetworkStats(long sent, long dropped, long duplicated) {}
