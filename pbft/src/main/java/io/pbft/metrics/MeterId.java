package io.pbft.metrics;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A meter's name (dotted, as {@code pbft.core.view}; a binding renders it in its own convention,
 * {@code pbft_core_view} for Prometheus), its one-line description, and its tags (as {@code
 * replica=0}, {@code reason=bad_signature}), in name order.
 */
public record MeterId(String name, String description, SortedMap<String, String> tags) {

    public MeterId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public static MeterId of(String name, String description) {
        return new MeterId(name, description, new TreeMap<>());
    }

    /** This id with one more tag (or {@code key} set to {@code value}). */
    public MeterId tag(String key, String value) {
        SortedMap<String, String> more = new TreeMap<>(tags);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new MeterId(name, description, more);
    }
}
