package io.pbft.cli.workload;

/**
 * The share of each operation kind in a workload, in percent; the four add up to 100.
 */
public record OpMix(int getPercent, int putPercent, int casPercent, int deletePercent) {

    /** Reads dominate, as in most stores; enough writes and compare-and-sets to contend on keys. */
    public static final OpMix DEFAULT = new OpMix(40, 30, 20, 10);

    public OpMix {
        if (getPercent < 0 || putPercent < 0 || casPercent < 0 || deletePercent < 0
                || getPercent + putPercent + casPercent + deletePercent != 100) {
            throw new IllegalArgumentException("operation shares must be non-negative and add up to 100, were get "
                    + getPercent + ", put " + putPercent + ", cas " + casPercent + ", delete " + deletePercent);
        }
    }

    /** The kind a roll in [0, 100) selects. */
    OpKind pick(int roll) {
        if (roll < getPercent) {
            return OpKind.GET;
        }
        if (roll < getPercent + putPercent) {
            return OpKind.PUT;
        }
        if (roll < getPercent + putPercent + casPercent) {
            return OpKind.CAS;
        }
        return OpKind.DELETE;
    }
}
