package io.pbft.core.message;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;

/** The answer to a {@link FetchState}: one part of the state as of the checkpoint at {@code sequence}, for its {@code request}. */
public record StateChunk(long sequence, long request, Content content, int replica) implements ReplicaMessage {

    public StateChunk {
        Objects.requireNonNull(content, "content");
    }

    /** What the chunk holds, matching the part asked for. */
    public sealed interface Content permits Meta, Nodes, Partition {}

    /**
     * The checkpoint digest is a hash of these: the root of the service's Merkle tree over its
     * partitions and the digest of the client table.
     */
    public record Meta(ByteString serviceRoot, int partitionCount, ByteString clientTableDigest) implements Content {}

    /** Node hashes at {@code level}, from {@code firstIndex}. */
    public record Nodes(int level, int firstIndex, List<ByteString> hashes) implements Content {
        public Nodes {
            hashes = List.copyOf(hashes);
        }
    }

    /** Bytes of partition {@code index} and the cursor after them; an empty {@code next} ends the partition. */
    public record Partition(int index, ByteString content, ByteString next) implements Content {}
}
