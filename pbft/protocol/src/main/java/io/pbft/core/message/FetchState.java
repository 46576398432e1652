package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * Asks a peer for one part of the state as of the checkpoint at {@code sequence}, for a replica
 * that must catch up to a stable checkpoint it has not reached (state transfer). The answer is a
 * {@link StateChunk}; the asking replica trusts no peer, only the certified checkpoint digest, and
 * checks every part against it. {@code request} numbers the asking replica's requests; the answer
 * carries it back, so an answer the network delayed or duplicated is not taken for a later one's.
 */
public record FetchState(long sequence, long request, Part part, int replica) implements ReplicaMessage {

    /** The partition index that names the client table (the last timestamp and reply per client). */
    public static final int CLIENT_TABLE = -1;

    public FetchState {
        Objects.requireNonNull(part, "part");
    }

    /** Which part of the checkpoint's state. */
    public sealed interface Part permits Meta, Nodes, Partition {}

    /** The roots the checkpoint digest is made of, and the number of partitions. */
    public record Meta() implements Part {}

    /** The hashes of {@code count} nodes of the Merkle tree at {@code level}, from {@code firstIndex}. */
    public record Nodes(int level, int firstIndex, int count) implements Part {}

    /**
     * The content of partition {@code index} ({@link #CLIENT_TABLE} for the client table) after
     * {@code cursor} (empty: from the start), at most about {@code maxBytes}.
     */
    public record Partition(int index, ByteString cursor, int maxBytes) implements Part {}
}
