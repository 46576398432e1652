package io.pbft.chaos.sim;

/**
 * Replica {@code replica}'s process stops from {@code fromMillis} until {@code untilMillis}, as in a
 * full stop-the-world garbage collection or a SIGSTOP: it keeps its memory, its timers do not fire,
 * and what reaches it meanwhile waits in its socket buffers, to be taken, in order, when it
 * resumes. Unlike a cut, nothing is lost; unlike a restart, nothing is forgotten. It stays correct.
 */
public record Pause(int replica, long fromMillis, long untilMillis) {

    public Pause {
        if (fromMillis < 0 || untilMillis <= fromMillis) {
            throw new IllegalArgumentException("a pause must satisfy 0 <= from < until, was " + fromMillis + ".."
                    + untilMillis + " ms");
        }
    }

    boolean holds(int node, long nowMillis) {
        return node == replica && nowMillis >= fromMillis && nowMillis < untilMillis;
    }

    /** The command-line form, {@code R@FROM-UNTIL}. */
    @Override
    public String toString() {
        return new ReplicaSpan(replica, fromMillis, untilMillis).toString();
    }

    /** Parses the command-line form {@code R@FROM-UNTIL}. */
    public static Pause parse(String text) {
        ReplicaSpan span = ReplicaSpan.parse(text, "a pause", "1@500-2500");
        return new Pause(span.replica(), span.fromMillis(), span.untilMillis());
    }
}
