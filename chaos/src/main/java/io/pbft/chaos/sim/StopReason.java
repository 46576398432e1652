package io.pbft.chaos.sim;

/** Why a simulation run ended. */
public enum StopReason {
    /** Every client finished and the replicas had their settling time. */
    CLIENTS_DONE,
    /** Nothing was left to happen. */
    QUIESCENT,
    /** The simulated deadline passed with clients still waiting. */
    DEADLINE,
    /** The bound on processed events was reached (a guard against a core that never goes quiet). */
    EVENT_LIMIT,
    /** A check failed during the run (safety, bounds, a core that threw or spins); the run stopped at that step. */
    VIOLATION
}
