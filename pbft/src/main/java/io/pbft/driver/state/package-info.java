/**
 * State transfer on the driver's side (docs/state-transfer.md): how a replica serves the state as
 * of its checkpoints, and how a replica that fell behind a stable checkpoint fetches it from the
 * others, trusting only the certified checkpoint digest. Shared by the replica node and the
 * deterministic simulator.
 *
 * <ul>
 *   <li>{@link io.pbft.driver.state.CheckpointDigests}: the digest formulas ({@link
 *       io.pbft.core.StateDigests}) the core signs checkpoints with and the fetcher checks.
 *   <li>{@link io.pbft.driver.state.StateServer}: answers {@code FetchState} from the {@link
 *       io.pbft.driver.state.ServedCheckpoint}s it keeps, within {@link
 *       io.pbft.driver.state.StateTransferLimits}.
 *   <li>{@link io.pbft.driver.state.StateFetcher}: fetches a checkpoint into the local {@code
 *       PartitionedStateMachine}: meta, Merkle walk, differing partitions, client table. Its
 *       package-private jobs ({@code MetaJob}, {@code WalkJob}, {@code PartitionJob}, {@code
 *       TableJob}) each check one kind of answer; {@code PeerRotation} chooses peers.
 * </ul>
 *
 * <p>Protocol details fixed here, beyond the messages: Merkle level {@code depth + 1} names the
 * partition digests under the leaves (a fetcher needs them to commit a partition, and checks them
 * against the verified leaf as {@code MerkleHash.leaf(digest)}); the client table's cursor is a
 * 4-byte big-endian offset ({@code TableCursor}).
 *
 * <p>May hold: deterministic step functions driven by their caller, with time passed in. May not
 * hold: threads, clock reads, random sources, sockets, or iteration over hash-ordered
 * collections. Nothing a peer sends throws out of here: bad input is dropped and counted by
 * {@link io.pbft.driver.state.TransferDrop}.
 */
package io.pbft.driver.state;
