package io.pbft.core;

import com.google.protobuf.ByteString;

/**
 * This replica executed checkpoint {@code sequence}: the driver keeps, beside its view of the
 * service's state there, the client table, and serves both to replicas that fetch the checkpoint.
 *
 * @param checkpointDigest the digest this replica signs for the checkpoint
 * @param clientTable the client table's canonical bytes as of the checkpoint
 */
public record CheckpointTaken(long sequence, ByteString checkpointDigest, ByteString clientTable) {}
