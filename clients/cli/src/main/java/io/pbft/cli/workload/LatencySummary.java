package io.pbft.cli.workload;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Percentiles of operation latency, in nanoseconds. */
public record LatencySummary(long count, long p50Nanos, long p90Nanos, long p99Nanos, long maxNanos) {

    public static LatencySummary of(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(histogram.getTotalCount(),
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90),
                histogram.getValueAtPercentile(99),
                histogram.getMaxValue());
    }

    /** {@code p50 0.812 ms, p90 1.204 ms, p99 2.310 ms, max 5.120 ms}. */
    public String describe() {
        return String.format(Locale.ROOT, "p50 %s ms, p90 %s ms, p99 %s ms, max %s ms",
                millis(p50Nanos), millis(p90Nanos), millis(p99Nanos), millis(maxNanos));
    }

    /** Nanoseconds as milliseconds with three decimals. */
    public static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
