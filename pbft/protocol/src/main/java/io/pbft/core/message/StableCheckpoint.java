package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * A checkpoint with its proof of stability: 2f + 1 signed checkpoints from distinct replicas with
 * this sequence number and state digest. The initial state (sequence 0) needs no proof: every
 * replica starts from it.
 */
public record StableCheckpoint(long sequence, ByteString stateDigest, List<Signed<Checkpoint>> proof) {

    public static final StableCheckpoint INITIAL = new StableCheckpoint(0, ByteString.EMPTY, List.of());

    public StableCheckpoint {
        proof = List.copyOf(proof);
    }
}
