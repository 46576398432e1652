package io.pbft.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pbft.metrics.MeterId;
import io.pbft.metrics.Metrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerMetrics metrics = new MicrometerMetrics(registry);

    @Test
    void aCounterReadsItsSupplierEvenWhenNothingElseHoldsIt() {
        LongAdder adder = new LongAdder();
        metrics.counter(MeterId.of("pbft.test.dropped", "drops").tag("reason", "bad_mac"), adder::sum);
        adder.add(5);
        // Micrometer holds a function counter's object weakly: a collected one would read NaN.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(registry.get("pbft.test.dropped").tag("reason", "bad_mac").functionCounter().count())
                .isEqualTo(5.0);
    }

    @Test
    void aGaugeAndALatencyAreRegisteredWithTheirTagsAndRemovedOnRequest() {
        Metrics.Registration view = metrics.gauge(MeterId.of("pbft.test.view", "view").tag("replica", "1"), () -> 4);
        Metrics.LatencyRecorder latency = metrics.latency(MeterId.of("pbft.test.latency", "latency"));
        latency.recordNanos(2_000_000);
        latency.recordNanos(-5);

        assertThat(registry.get("pbft.test.view").tag("replica", "1").gauge().value()).isEqualTo(4.0);
        assertThat(registry.get("pbft.test.latency").timer().count()).isEqualTo(1);
        assertThat(registry.get("pbft.test.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);

        view.remove();
        latency.remove();

        assertThat(registry.find("pbft.test.view").gauge()).isNull();
        assertThat(registry.find("pbft.test.latency").timer()).isNull();
    }
}
