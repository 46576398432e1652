package io.pbft.core;

import java.util.Arrays;

/**
 * A backup's measure of how fast its primary orders requests, for the slow-primary defence (see
 * {@link SlowPrimaryDefence}). Two measures, each the median of a bounded ring of recent samples:
 *
 * <ul>
 *   <li>the ordering delay, in this view: from when this backup learned of a request to when it
 *       executed; the primary decides most of it;
 *   <li>the agreement delay, in any view: from when this backup accepted a pre-prepare to when it
 *       executed the batch, the prepare and commit rounds. The primary cannot stretch it for a
 *       quorum of backups without delaying its pre-prepare to them, which their ordering delay
 *       shows. It calibrates the limit to the network and the load, so one setting serves a loopback
 *       cluster and a wide-area one, and a slow primary cannot raise the bar it is judged by.
 * </ul>
 *
 * A correct primary orders a request within about twice the agreement delay (the request reaches
 * it and its pre-prepare reaches the backups in about the time of the two rounds that follow).
 */
final class PrimaryPace {

    /** Fewer ordering delays than this say nothing: one unlucky request must not replace a primary. */
    static final int MIN_SAMPLES = 5;
    /** The latest delays that count: a primary is judged on how it orders now. */
    static final int WINDOW = 16;
    /** How many agreement delays a correct primary's ordering delay spans. */
    static final int ORDERING_SPANS = 2;

    private final SlowPrimaryDefence defence;
    private final long[] orderingMillis = new long[WINDOW];
    private int orderingSamples;
    private final long[] agreementMillis = new long[WINDOW];
    private int agreementSamples;

    PrimaryPace(SlowPrimaryDefence defence) {
        this.defence = defence;
    }

    /** An awaited request executed {@code delayMillis} after this backup learned of it in this view. */
    void recordOrdering(long delayMillis) {
        orderingMillis[orderingSamples % WINDOW] = Math.max(0, delayMillis);
        orderingSamples++;
    }

    /** A batch executed {@code delayMillis} after this replica accepted its pre-prepare. */
    void recordAgreement(long delayMillis) {
        agreementMillis[agreementSamples % WINDOW] = Math.max(0, delayMillis);
        agreementSamples++;
    }

    /** Whether this view's primary orders so much slower than the norm that backups should vote it out. */
    boolean tooSlow() {
        return defence.enabled() && orderingSamples >= MIN_SAMPLES
                && median(orderingMillis, orderingSamples) > limitMillis();
    }

    /** The ordering delay above which the primary counts as slow. */
    long limitMillis() {
        long norm = agreementSamples == 0 ? 0 : ORDERING_SPANS * median(agreementMillis, agreementSamples);
        return defence.limitMillis(norm);
    }

    /**
     * Forgets the ordering delays of this view: the view changes and its successor's primary is
     * judged afresh, or they measured this replica's own lag as much as the primary.
     */
    void discardOrdering() {
        orderingSamples = 0;
    }

    private static long median(long[] ring, int samples) {
        long[] latest = Arrays.copyOf(ring, Math.min(samples, ring.length));
        Arrays.sort(latest);
        return latest[latest.length / 2];
    }
}
