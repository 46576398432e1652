package io.pbft.core.message;

/**
 * "The primary of {@code view} orders requests far slower than the network allows" (see {@code
 * SlowPrimaryDefence}). A complaint is not a vote: one backup's measure can be off (a JIT still
 * warming up, a collector pause), and a replica that voted alone could never return to the view
 * its peers work in. f + 1 complaints for one view (so one from a correct replica) make every
 * replica that has them vote for the next view.
 */
public record SlowPrimaryComplaint(long view, int replica) implements ReplicaMessage {}
