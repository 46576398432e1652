/**
 * The example key-value service: {@link io.pbft.statemachine.kv.KeyValueStateMachine} (get, put,
 * delete, compare-and-set, all-or-nothing multi-key transactions), the client-side codec {@link
 * io.pbft.statemachine.kv.KvOps} with {@link io.pbft.statemachine.kv.Transaction}, and the
 * decoded answers {@link io.pbft.statemachine.kv.KvResult}.
 *
 * <p>The wire messages are generated from {@code src/main/proto/kv.proto} into {@code
 * io.pbft.statemachine.kv.proto}. The entries are split into partitions by key hash ({@code
 * KvPartitions}); the state digest is the Merkle root over the partition digests ({@code
 * KvPartitionDigest}); partitions move between replicas in chunks ({@code KvChunkCodec}, {@code
 * KvPartitionInstall}); checkpoints are copy-on-write per partition ({@code KvPartitions});
 * snapshots encode the whole state ({@code KvSnapshotCodec}). Each is a package-private class of
 * its own, apart from the operations.
 *
 * <p>May not hold: networking, threads, clocks, randomness, iteration over unordered
 * collections.
 */
package io.pbft.statemachine.kv;
