/**
 * The {@link io.pbft.statemachine.StateMachine} SPI: the interface a service author implements
 * to make a deterministic service Byzantine fault tolerant, and its determinism rules.
 *
 * <p>{@link io.pbft.statemachine.PartitionedStateMachine} extends it for state transfer: the state
 * as a fixed number of partitions under a Merkle tree (package {@code merkle}), read in bounded
 * {@link io.pbft.statemachine.PartitionChunk}s ({@link io.pbft.statemachine.PartitionReader}) and
 * replaced through a checked {@link io.pbft.statemachine.PartitionInstall}. A {@link
 * io.pbft.statemachine.StateCheckpoint} freezes the partitions, digests and tree at a checkpoint so
 * that a replica serves that state while it executes on; {@code StateCheckpoint.of} makes one
 * thread-safe over content the service no longer writes. {@code PartitionedStateMachine.of} gives
 * any other service a one-partition view.
 *
 * <p>Sub-packages hold example services: {@code kv} (a key-value store with compare-and-set and
 * multi-key transactions, in memory or on disk in RocksDB) and {@code counter}.
 *
 * <p>May not hold: networking, threads, clocks, randomness, or anything about PBFT messages.
 * (Checkpoints may be <em>read</em> from the replica's threads; nothing here starts one.)
 * This module depends on nothing of the library, so service code can be built and tested alone.
 */
package io.pbft.statemachine;
