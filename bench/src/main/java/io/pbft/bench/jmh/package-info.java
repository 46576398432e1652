/**
 * JMH micro-benchmarks: the cost of authentication ({@link io.pbft.bench.jmh.CryptoBenchmark}) and
 * of the protocol core ordering a batch ({@link io.pbft.bench.jmh.CoreBenchmark}). Run them from
 * the shaded jar: {@code java -cp bench/target/pbft.jar org.openjdk.jmh.Main} (see bench/README.md).
 */
package io.pbft.bench.jmh;
