/**
 * The cluster benchmarks behind {@code scripts/pbft bench} (throughput and latency) and
 * {@code scripts/pbft bench-failover} (the time from a stopped primary to the first request
 * committed in the new view): replica processes on loopback
 * ({@link io.pbft.chaos.live.ReplicaProcesses}), closed-loop clients (the workload of
 * {@code io.pbft.cli.workload}), and the markdown results files. What they measure is recorded in
 * {@code bench/results/}; the tests here check only how results are computed and written.
 */
package io.pbft.bench;
