package io.pbft.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Where a replica node reports its meters. The library keeps this small so that an application
 * picks its metrics system, or none: {@link #NONE} is the default, {@link
 * io.pbft.metrics.micrometer.MicrometerMetrics} binds to Micrometer (an optional dependency), and
 * {@link io.pbft.metrics.micrometer.PrometheusEndpoint} serves them over HTTP.
 *
 * <p>The node keeps the values itself (in {@code NodeMetrics}, read by tests and the status
 * command); an implementation only reads them through the suppliers, whenever it exports.
 * Suppliers and recorders are called from any thread, concurrently.
 */
public interface Metrics {

    /** Registers nothing, records nothing: what a replica reports to unless given another. */
    Metrics NONE = new Metrics() {
        @Override
        public Registration counter(MeterId id, LongSupplier count) {
            return Registration.NONE;
        }

        @Override
        public Registration gauge(MeterId id, DoubleSupplier value) {
            return Registration.NONE;
        }

        @Override
        public LatencyRecorder latency(MeterId id) {
            return LatencyRecorder.NONE;
        }
    };

    /** A count that only grows (messages received, inputs dropped), read from {@code count}. */
    Registration counter(MeterId id, LongSupplier count);

    /** A value that goes up and down (the view, the last executed sequence number), read from {@code value}. */
    Registration gauge(MeterId id, DoubleSupplier value);

    /** A distribution of durations, exported as a histogram; the caller records into it. */
    LatencyRecorder latency(MeterId id);

    /** A registered meter, which its owner removes when it stops reporting (a closed replica). */
    interface Registration {

        Registration NONE = () -> { };

        /** Stops exporting this meter. Idempotent. */
        void remove();
    }

    /** A latency histogram. */
    interface LatencyRecorder extends Registration {

        LatencyRecorder NONE = new LatencyRecorder() {
            @Override
            public void recordNanos(long nanos) {
            }

            @Override
            public void remove() {
            }
        };

        /** Records one duration; a negative one is ignored (a clock cannot run backwards here). */
        void recordNanos(long nanos);
    }
}
