/**
 * The replica's metrics seen from outside the library: {@link io.pbft.metrics.Metrics}, the
 * small interface a node reports its counters, gauges and latency histogram to, and its no-op
 * default. Nothing here depends on a metrics library; {@code io.pbft.metrics.micrometer} holds the
 * optional binding to Micrometer and the Prometheus endpoint, usable only when the application
 * has Micrometer on its class path.
 */
package io.pbft.metrics;
