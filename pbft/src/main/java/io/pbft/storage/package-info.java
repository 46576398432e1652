/**
 * The durable write-ahead log: what a replica must not forget across a crash, written before it
 * acts on it ({@link io.pbft.storage.WriteAheadLog}), and the snapshot of its latest stable
 * checkpoint beside it.
 *
 * <h2>What lives here</h2>
 *
 * <ul>
 *   <li>{@link io.pbft.storage.WriteAheadLog}: append, sync once per batch (group commit), replay,
 *       truncate at a stable checkpoint, write and read the snapshot.
 *   <li>The on-disk format. A record is opaque: an index the log assigns, the PBFT sequence
 *       number it belongs to (only {@code truncateBefore} looks at it), a type tag and a payload.
 *       Each is framed as {@code length | CRC32C | index | sequence | type | payload}; segments
 *       are files named by their first index ({@code 00000000000000000001.wal}) and hold about
 *       {@link io.pbft.storage.LogOptions#segmentBytes()} each; the snapshot is one file,
 *       replaced atomically.
 *   <li>Recovery: a torn write at the very end of the last segment is cut off and logged at
 *       WARN; any other damage (a bad checksum or length with a valid record after it, damage
 *       in an older segment, a missing segment) is a {@link io.pbft.storage.CorruptLogException}
 *       naming the file and the byte offset, and the replica does not start.
 *   <li>The seam to the disk, {@link io.pbft.storage.LogStorage}: {@link
 *       io.pbft.storage.NioLogStorage} for real directories, {@link io.pbft.storage.SimulatedDisk}
 *       for the simulator, which loses unsynced writes when it crashes, from a seeded random
 *       source.
 * </ul>
 *
 * <h2>Durability, step by step</h2>
 *
 * A new file is followed by a directory sync, a rename by a directory sync, a deleted segment
 * by a directory sync before the next one is deleted. With {@link
 * io.pbft.storage.SyncPolicy#EVERY_BATCH} {@code sync()} forces the segment; a full segment is
 * forced before the next one starts under either policy, so only the last segment can end torn.
 *
 * <h2>Known limit</h2>
 *
 * A file system may persist a later page of an unsynced write and lose an earlier one. The
 * records caught in such a hole were never synced, so no replica acted on them, but recovery
 * cannot tell the hole from damage and refuses to start; the operator removes the tail by hand.
 *
 * <h2>What may not live here</h2>
 *
 * PBFT logic: which messages to log, what a record's payload means, when a checkpoint is stable.
 * The caller decides all of it; the log only keeps bytes. Memory does not grow with the number
 * of records: appends fill a fixed buffer, reads stream through a fixed window, and only one
 * small entry per segment is kept.
 */
package io.pbft.storage;
