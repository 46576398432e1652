/**
 * The Merkle tree over the partitions of a service's state, whose root is the state digest that
 * replicas agree on at each checkpoint, and the pieces state transfer needs on the state side.
 *
 * <ul>
 *   <li>{@link io.pbft.statemachine.merkle.MerkleTree}: a complete binary tree over a fixed
 *       power-of-two number of partition leaves, updated incrementally; node hashes by position,
 *       and the top-down walk that finds the partitions differing from a trusted root. A copy
 *       that nobody updates may be read from several threads (checkpoints rely on it).
 *   <li>{@link io.pbft.statemachine.merkle.MerkleHash}: the domain-separated SHA-256 of leaves and
 *       inner nodes (part of the protocol).
 *   <li>{@link io.pbft.statemachine.merkle.MerkleProof}: checks a set of claimed node hashes
 *       against a trusted root.
 *   <li>{@link io.pbft.statemachine.merkle.PartitionDigests}: what a partitioned service keeps to
 *       digest only the partitions written since the last checkpoint.
 * </ul>
 *
 * <p>May not hold: networking, threads, clocks, randomness, PBFT messages, or anything about a
 * particular service's content. Everything here is a deterministic function of the partition
 * digests, so that every correct replica computes the same root.
 */
package io.pbft.statemachine.merkle;
