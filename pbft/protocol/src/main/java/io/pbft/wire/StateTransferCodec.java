package io.pbft.wire;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.wire.proto.FetchMeta;
import io.pbft.wire.proto.FetchNodes;
import io.pbft.wire.proto.FetchPartition;
import io.pbft.wire.proto.NodeHashes;
import io.pbft.wire.proto.PartitionContent;
import io.pbft.wire.proto.StateMeta;
import java.util.List;

/**
 * The wire form of the state-transfer messages. Decoding checks shapes only (digest lengths,
 * non-negative counts, a partition index of at least {@link FetchState#CLIENT_TABLE}); whether a
 * part is true is for the fetching replica to check against the certified checkpoint digest.
 */
final class StateTransferCodec {

    private StateTransferCodec() {}

    static io.pbft.wire.proto.FetchState encode(FetchState m) {
        var builder = io.pbft.wire.proto.FetchState.newBuilder().setSequence(m.sequence()).setRequest(m.request())
                .setReplica(m.replica());
        FetchState.Part part = m.part();
        if (part instanceof FetchState.Meta) {
            builder.setMeta(FetchMeta.getDefaultInstance());
        } else if (part instanceof FetchState.Nodes nodes) {
            builder.setNodes(FetchNodes.newBuilder()
                    .setLevel(nodes.level()).setFirstIndex(nodes.firstIndex()).setCount(nodes.count()));
        } else if (part instanceof FetchState.Partition partition) {
            builder.setPartition(FetchPartition.newBuilder().setIndex(partition.index())
                    .setCursor(partition.cursor()).setMaxBytes(partition.maxBytes()));
        }
        return builder.build();
    }

    static io.pbft.wire.proto.StateChunk encode(StateChunk m) {
        var builder = io.pbft.wire.proto.StateChunk.newBuilder().setSequence(m.sequence()).setRequest(m.request())
                .setReplica(m.replica());
        StateChunk.Content content = m.content();
        if (content instanceof StateChunk.Meta meta) {
            builder.setMeta(StateMeta.newBuilder().setServiceRoot(meta.serviceRoot())
                    .setPartitionCount(meta.partitionCount()).setClientTableDigest(meta.clientTableDigest()));
        } else if (content instanceof StateChunk.Nodes nodes) {
            builder.setNodes(NodeHashes.newBuilder().setLevel(nodes.level()).setFirstIndex(nodes.firstIndex())
                    .addAllHashes(nodes.hashes()));
        } else if (content instanceof StateChunk.Partition partition) {
            builder.setPartition(PartitionContent.newBuilder().setIndex(partition.index())
                    .setContent(partition.content()).setNext(partition.next()));
        }
        return builder.build();
    }

    static FetchState decode(io.pbft.wire.proto.FetchState m) throws MalformedMessageException {
        long sequence = WireCodec.counter("sequence", m.getSequence());
        FetchState.Part part = switch (m.getPartCase()) {
            case META -> new FetchState.Meta();
            case NODES -> new FetchState.Nodes(count("level", m.getNodes().getLevel()),
                    count("first_index", m.getNodes().getFirstIndex()), count("count", m.getNodes().getCount()));
            case PARTITION -> new FetchState.Partition(index(m.getPartition().getIndex()), m.getPartition().getCursor(),
                    count("max_bytes", m.getPartition().getMaxBytes()));
            default -> throw new MalformedMessageException("fetch-state without a part");
        };
        return new FetchState(sequence, m.getRequest(), part, m.getReplica());
    }

    static StateChunk decode(io.pbft.wire.proto.StateChunk m) throws MalformedMessageException {
        long sequence = WireCodec.counter("sequence", m.getSequence());
        StateChunk.Content content = switch (m.getContentCase()) {
            case META -> new StateChunk.Meta(WireCodec.digest("service_root", m.getMeta().getServiceRoot()),
                    count("partition_count", m.getMeta().getPartitionCount()),
                    WireCodec.digest("client_table_digest", m.getMeta().getClientTableDigest()));
            case NODES -> nodes(m.getNodes());
            case PARTITION -> new StateChunk.Partition(index(m.getPartition().getIndex()),
                    m.getPartition().getContent(), m.getPartition().getNext());
            default -> throw new MalformedMessageException("state chunk without content");
        };
        return new StateChunk(sequence, m.getRequest(), content, m.getReplica());
    }

    private static StateChunk.Nodes nodes(NodeHashes m) throws MalformedMessageException {
        List<ByteString> hashes = m.getHashesList();
        for (ByteString hash : hashes) {
            WireCodec.digest("hashes", hash);
        }
        return new StateChunk.Nodes(count("level", m.getLevel()), count("first_index", m.getFirstIndex()), hashes);
    }

    /** uint32 fields used as Java ints: values past 2^31 - 1 are nonsense. */
    private static int count(String field, int value) throws MalformedMessageException {
        if (value < 0) {
            throw new MalformedMessageException(field + " out of range: " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static int index(int value) throws MalformedMessageException {
        if (value < FetchState.CLIENT_TABLE) {
            throw new MalformedMessageException("partition index out of range: " + value);
        }
        return value;
    }
}
