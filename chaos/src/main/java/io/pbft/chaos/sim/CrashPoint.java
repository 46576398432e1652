package io.pbft.chaos.sim;

/**
 * Where in a replica's work a crash ({@link Restart}) strikes; the run's random source picks one
 * per crash. The last two are the points a durable log exists for: what the replica logged may or
 * may not have reached the disk, and what it meant to send did not leave.
 */
enum CrashPoint {

    /** Between two inputs: everything it logged is synced, everything it meant to send has left. */
    BETWEEN_INPUTS,

    /**
     * In its first input from the crash time on that logs records: they are synced, then the
     * process dies before any message or reply of that input leaves.
     */
    AFTER_SYNC,

    /**
     * As {@link #AFTER_SYNC}, but the process dies while syncing: the records are written, not
     * forced, and the disk keeps a random part of them.
     */
    DURING_SYNC
}
