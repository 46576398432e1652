/**
 * The binding of {@link io.pbft.metrics.Metrics} to Micrometer, and a Prometheus endpoint on top
 * of it. Micrometer is an optional dependency of {@code pbft-core}: an application that uses these
 * classes adds {@code io.micrometer:micrometer-core} (and {@code micrometer-registry-prometheus}
 * for the endpoint) itself. Only the replica command refers to this package, and only when given
 * {@code --metrics-port}.
 */
package io.pbft.metrics.micrometer;
