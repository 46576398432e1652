package io.pbft.chaos.sim;

/**
 * A lull in the workload: from {@code fromMillis} until {@code untilMillis} no client starts an
 * operation. What is under way finishes (a retransmission included); every client's next operation
 * waits for the end, and then all of them start within the same instant. So a run can let the
 * cluster fall quiet after its writes completed, strike it meanwhile (a whole cluster restarted),
 * and have the first operations after the lull meet the replicas the moment they are back.
 */
public record Lull(long fromMillis, long untilMillis) {

    public Lull {
        if (fromMillis < 0 || untilMillis <= fromMillis) {
            throw new IllegalArgumentException("a lull must satisfy 0 <= from < until, was " + fromMillis + ".."
                    + untilMillis + " ms");
        }
    }

    boolean holds(long nowMillis) {
        return nowMillis >= fromMillis && nowMillis < untilMillis;
    }

    /** The command-line form, {@code FROM-UNTIL}. */
    @Override
    public String toString() {
        return fromMillis + "-" + untilMillis;
    }

    /** Parses the command-line form {@code FROM-UNTIL}. */
    public static Lull parse(String text) {
        int dash = text.indexOf('-');
        String expected = "a lull is FROM-UNTIL (ms), as in 1500-3000, not '" + text + "'";
        if (dash < 1) {
            throw new IllegalArgumentException(expected);
        }
        try {
            return new Lull(Long.parseLong(text.substring(0, dash).trim()), Long.parseLong(text.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        }
    }
}
