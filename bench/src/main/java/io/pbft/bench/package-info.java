/**
 * The cluster benchmark behind {@code scripts/pbft bench}: replica processes on loopback
 * ({@link io.pbft.bench.ReplicaProcesses}), closed-loop client phases (the workload of
 * {@code io.pbft.cli.workload}), and the markdown results file. No tests live in this module;
 * what it measures is recorded in {@code bench/results/}.
 */
package io.pbft.bench;
