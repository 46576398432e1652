/**
 * The example key-value service: {@link io.pbft.statemachine.kv.KeyValueStateMachine} (get, put,
 * delete, compare-and-set, all-or-nothing multi-key transactions), the client-side codec {@link
 * io.pbft.statemachine.kv.KvOps} with {@link io.pbft.statemachine.kv.Transaction}, and the
 * decoded answers {@link io.pbft.statemachine.kv.KvResult}.
 *
 * <p>The wire messages are generated from {@code src/main/proto/kv.proto} into {@code
 * io.pbft.statemachine.kv.proto}. The state digest ({@code KvStateDigest}) and the snapshot
 * encoding ({@code KvSnapshotCodec}) are package-private classes of their own, so the digest can
 * become a Merkle tree over partitions without touching the operations.
 *
 * <p>May not hold: networking, threads, clocks, randomness, iteration over unordered
 * collections.
 */
package io.pbft.statemachine.kv;
