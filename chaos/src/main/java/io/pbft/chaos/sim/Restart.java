package io.pbft.chaos.sim;

/**
 * Replica {@code replica} crashes at {@code crashAtMillis} and restarts at {@code restartAtMillis}
 * from its simulated disk: its memory is lost, and so is whatever its disk had not synced; messages
 * sent to it meanwhile are lost. It comes back as a new process of the same replica, with a fresh
 * core and a fresh copy of the service, recovered from its snapshot and log, and stays correct.
 * Where in its work the crash strikes the run's random source decides (see {@link CrashPoint}).
 */
public record Restart(int replica, long crashAtMillis, long restartAtMillis) {

    public Restart {
        if (crashAtMillis < 0 || restartAtMillis <= crashAtMillis) {
            throw new IllegalArgumentException("a restart must satisfy 0 <= crash < restart, was " + crashAtMillis
                    + ".." + restartAtMillis + " ms");
        }
    }

    /** Whether this one and {@code other} have the same replica down at some instant. */
    boolean overlaps(Restart other) {
        return replica == other.replica && crashAtMillis <= other.restartAtMillis
                && other.crashAtMillis <= restartAtMillis;
    }

    /** The command-line form, {@code R@CRASH-RESTART}. */
    @Override
    public String toString() {
        return new ReplicaSpan(replica, crashAtMillis, restartAtMillis).toString();
    }

    /** Parses the command-line form {@code R@CRASH-RESTART}. */
    public static Restart parse(String text) {
        ReplicaSpan span = ReplicaSpan.parse(text, "a restart", "0@800-1500");
        return new Restart(span.replica(), span.fromMillis(), span.untilMillis());
    }
}
