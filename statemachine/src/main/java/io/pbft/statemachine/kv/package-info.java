/**
 * The example key-value service: {@link io.pbft.statemachine.kv.KeyValueStateMachine} (get, put,
 * delete, compare-and-set, all-or-nothing multi-key transactions), the client-side codec {@link
 * io.pbft.statemachine.kv.KvOps} with {@link io.pbft.statemachine.kv.Transaction}, and the
 * decoded answers {@link io.pbft.statemachine.kv.KvResult}.
 *
 * <p>The wire messages are generated from {@code src/main/proto/kv.proto} into {@code
 * io.pbft.statemachine.kv.proto}. The entries are split into partitions by key hash ({@code
 * KvPartitionFunction}) and held in memory by {@code KvPartitions}; the state digest is the Merkle root over the partition digests ({@code
 * KvPartitionDigest}); partitions move between replicas in chunks ({@code KvChunkCodec}, {@code
 * KvPartitionInstall}); checkpoints are copy-on-write per partition ({@code KvPartitions});
 * snapshots encode the whole state ({@code KvSnapshotCodec}). Each is a package-private class of
 * its own, apart from the operations, which {@code KvExecution} runs against any store.
 *
 * <p>{@link io.pbft.statemachine.kv.RocksKeyValueStateMachine} is the same store on disk in
 * RocksDB: it reuses every piece above but {@code KvPartitions}, which it replaces with where
 * entries live on disk ({@code RocksKvLayout}, {@code RocksKvDatabase}, {@code RocksKvPartitions})
 * and checkpoints over RocksDB snapshots ({@code RocksKvCheckpoint}), so the two stores answer,
 * digest, chunk and snapshot identically.
 *
 * <p>May not hold: networking, threads, clocks, randomness, iteration over unordered
 * collections. (RocksDB runs native threads of its own for flushes and compactions; nothing here
 * starts one, and none calls back into this code.)
 */
package io.pbft.statemachine.kv;
