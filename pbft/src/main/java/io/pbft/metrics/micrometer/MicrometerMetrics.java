package io.pbft.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.pbft.metrics.MeterId;
import io.pbft.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * {@link Metrics} registered in a Micrometer {@link MeterRegistry}: counters as {@link
 * FunctionCounter}s, gauges as {@link Gauge}s and latencies as {@link Timer}s that publish a
 * histogram (so that a Prometheus registry exports {@code _bucket} series).
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();
 * ReplicaNode node = ReplicaNode.start(config, 0, key, service, new MicrometerMetrics(registry),
 *         ReplicaNode.defaultIoThreads());
 * }</pre>
 */
public final class MicrometerMetrics implements Metrics {

    private final MeterRegistry registry;
    /**
     * The suppliers of the counters and gauges registered here and not removed: Micrometer holds a
     * function counter's object weakly, and the node's suppliers are lambdas nothing else holds.
     */
    private final Set<Object> suppliers = ConcurrentHashMap.newKeySet();

    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public Registration counter(MeterId id, LongSupplier count) {
        return removing(count, FunctionCounter.builder(id.name(), count, LongSupplier::getAsLong)
                .description(id.description()).tags(tags(id)).register(registry));
    }

    @Override
    public Registration gauge(MeterId id, DoubleSupplier value) {
        return removing(value, Gauge.builder(id.name(), value, DoubleSupplier::getAsDouble)
                .description(id.description()).tags(tags(id)).strongReference(true).register(registry));
    }

    @Override
    public LatencyRecorder latency(MeterId id) {
        Timer timer = Timer.builder(id.name()).description(id.description()).tags(tags(id))
                .publishPercentileHistogram().register(registry);
        return new LatencyRecorder() {
            @Override
            public void recordNanos(long nanos) {
                if (nanos >= 0) {
                    timer.record(nanos, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void remove() {
                registry.remove(timer);
            }
        };
    }

    private Registration removing(Object supplier, Meter meter) {
        suppliers.add(supplier);
        return () -> {
            registry.remove(meter);
            suppliers.remove(supplier);
        };
    }

    private static List<Tag> tags(MeterId id) {
        List<Tag> tags = new ArrayList<>();
        for (Map.Entry<String, String> tag : id.tags().entrySet()) {
            tags.add(Tag.of(tag.getKey(), tag.getValue()));
        }
        return tags;
    }
}
