package io.pbft.core;

/**
 * When a backup votes out a primary that is correct in form but slow (the attack of Aardvark,
 * NSDI 2009: a primary that orders every batch just before the request timer would run out cuts
 * throughput by orders of magnitude and is never replaced by the timer alone).
 *
 * <p>A backup measures the primary's ordering delay: from when it learns of a request (a client
 * sends to every replica once the primary is slow to answer) to when that request executes. It
 * complains of the primary when the median of its recent ordering delays exceeds {@code factor}
 * times the norm: what a correct primary would take on this network under this load, twice the
 * recent median time from a pre-prepare to its execution, or {@code floorMillis} if that is
 * higher (see {@link PrimaryPace}). The floor absorbs what a correct primary cannot help on a fast
 * network (a garbage-collection pause, a burst of load); the norm follows the network, so one
 * setting serves a cluster on one machine and one across continents. A complaint is not a vote:
 * f + 1 complaints of one view (so one from a correct replica) make replicas vote for the next
 * ({@link io.pbft.core.message.SlowPrimaryComplaint}), so a backup whose own measure is off (a JIT
 * still warming up, a collector pause) does not leave its view alone, which it could never undo.
 *
 * @param factor how many times slower than the norm a primary may order before backups vote it
 *     out; 0 turns the defence off (only the request timer replaces a primary)
 * @param floorMillis the least norm, in the local clock's milliseconds
 */
public record SlowPrimaryDefence(int factor, long floorMillis) {

    /** Generous enough for a JVM's pauses on a loaded machine, far below the 2 s request timer. */
    public static final long DEFAULT_FLOOR_MILLIS = 25;

    /** Only the request timer replaces a primary. */
    public static final SlowPrimaryDefence OFF = new SlowPrimaryDefence(0, DEFAULT_FLOOR_MILLIS);
    /** The default, at the factor and floor measured in bench/results/slow-primary-sim-20261205.md. */
    public static final SlowPrimaryDefence ON = new SlowPrimaryDefence(4, DEFAULT_FLOOR_MILLIS);

    public SlowPrimaryDefence {
        if (factor < 0) {
            throw new IllegalArgumentException("slowPrimaryFactor must not be negative (0 turns the defence off), was "
                    + factor);
        }
        if (floorMillis < 1) {
            throw new IllegalArgumentException("slowPrimaryFloorMillis must be at least 1, was " + floorMillis);
        }
    }

    public boolean enabled() {
        return factor > 0;
    }

    /** The ordering delay above which the primary counts as slow, given the norm of recent views (0: none). */
    long limitMillis(long normMillis) {
        return factor * Math.max(normMillis, floorMillis);
    }
}
