package io.pbft.core;

import com.google.protobuf.ByteString;

/**
 * The hashing the core needs for checkpoints, supplied by the driver as it supplies signing (the
 * core hashes nothing itself): the checkpoint digest replicas sign covers the service's state and
 * the client table, so that a replica installing a checkpoint by state transfer keeps
 * exactly-once. See docs/state-transfer.md for the formulas, which the fetching side checks too.
 */
public interface StateDigests {

    /** The digest of the client table's canonical bytes. */
    ByteString clientTableDigest(ByteString clientTable);

    /** The checkpoint digest: a hash of the service's state digest (its Merkle root) and the client table digest. */
    ByteString checkpointDigest(ByteString serviceRoot, ByteString clientTableDigest);
}
