/**
 * The closed-loop key-value workload behind {@code pbft workload} and the cluster benchmark: an
 * operation generator with values unique per run, a runner with one outstanding operation per
 * client that issues each operation from the completion of the one before (no thread per client),
 * latency percentiles (HdrHistogram), and the history file writer and its strict line parser
 * ({@code docs/history.md}).
 * Knows the client only through {@link io.pbft.cli.workload.KvTarget}.
 */
package io.pbft.cli.workload;
