package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.StateDigests;
import io.pbft.crypto.Digests;

/**
 * The checkpoint digest of docs/state-transfer.md: SHA-256 of a domain tag, the service's Merkle
 * root and the client table's SHA-256. The tag (0x02) differs from the Merkle tree's leaf and
 * inner-node tags, so a checkpoint digest can never be passed off as a node of the tree.
 */
public final class CheckpointDigests implements StateDigests {

    private static final byte[] CHECKPOINT_TAG = {0x02};

    @Override
    public ByteString clientTableDigest(ByteString clientTable) {
        return ByteString.copyFrom(Digests.sha256(clientTable.toByteArray()));
    }

    @Override
    public ByteString checkpointDigest(ByteString serviceRoot, ByteString clientTableDigest) {
        return ByteString.copyFrom(
                Digests.sha256(CHECKPOINT_TAG, serviceRoot.toByteArray(), clientTableDigest.toByteArray()));
    }
}
