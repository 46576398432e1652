package io.pbft.chaos.sim;

/**
 * The command-line form {@code R@FROM-UNTIL} of a fault that strikes replica {@code R} for a span of
 * simulated time: a cut ({@link NetworkConfig.Cut}) or a crash and restart ({@link Restart}).
 */
record ReplicaSpan(int replica, long fromMillis, long untilMillis) {

    /**
     * Parses {@code R@FROM-UNTIL}.
     *
     * @param what the fault, for the error message: "a cut"
     * @param example a valid form of it: "3@500-4000"
     * @throws IllegalArgumentException naming the form expected
     */
    static ReplicaSpan parse(String text, String what, String example) {
        int at = text.indexOf('@');
        int dash = text.indexOf('-', at + 1);
        String expected = what + " is R@FROM-UNTIL (ms), as in " + example + ", not '" + text + "'";
        if (at < 1 || dash < 0) {
            throw new IllegalArgumentException(expected);
        }
        try {
            return new ReplicaSpan(Integer.parseInt(text.substring(0, at).trim()),
                    Long.parseLong(text.substring(at + 1, dash).trim()), Long.parseLong(text.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected, e);
        }
    }

    @Override
    public String toString() {
        return replica + "@" + fromMillis + "-" + untilMillis;
    }
}
