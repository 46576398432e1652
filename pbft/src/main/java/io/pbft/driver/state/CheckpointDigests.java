package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.StateDigests;
import io.pbft.crypto.Digests;
import java.util.Objects;

/**
 * The checkpoint digest formulas of docs/state-transfer.md, with SHA-256: {@code clientTableDigest
 * = SHA-256(client table bytes)} and {@code checkpointDigest = SHA-256(0x02 || serviceRoot ||
 * clientTableDigest)}. The prefix 0x02 follows the Merkle tree's 0x00 (leaf) and 0x01 (inner), so
 * a checkpoint digest is never also a node hash.
 *
 * <p>The core uses it to sign checkpoints, the fetcher to check what peers claim: both must
 * compute the same bytes, so both take this class. Stateless and thread-safe.
 */
public final class CheckpointDigests implements StateDigests {

    private static final byte[] CHECKPOINT_PREFIX = {0x02};

    @Override
    public ByteString clientTableDigest(ByteString clientTable) {
        Objects.requireNonNull(clientTable, "clientTable");
        return ByteString.copyFrom(Digests.sha256(clientTable.toByteArray()));
    }

    @Override
    public ByteString checkpointDigest(ByteString serviceRoot, ByteString clientTableDigest) {
        Objects.requireNonNull(serviceRoot, "serviceRoot");
        Objects.requireNonNull(clientTableDigest, "clientTableDigest");
        return ByteString.copyFrom(Digests.sha256(CHECKPOINT_PREFIX, serviceRoot.toByteArray(),
                clientTableDigest.toByteArray()));
    }
}
