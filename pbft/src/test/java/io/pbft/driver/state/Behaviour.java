package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * What a server sends in place of its honest answer: the seam where a test makes a server
 * Byzantine, as {@code OutboundFilter} is for the node. Each lies about one kind of part only, so
 * that a test sees that kind detected.
 */
@FunctionalInterface
interface Behaviour {

    Optional<StateChunk> answer(FetchState ask, Optional<StateChunk> honest);

    Behaviour HONEST = (ask, honest) -> honest;

    Behaviour SILENT = (ask, honest) -> Optional.empty();

    /** A meta whose service root is not the checkpoint's: its digest fails. */
    Behaviour WRONG_META = (ask, honest) -> honest.map(chunk -> chunk.content() instanceof StateChunk.Meta meta
            ? with(chunk, new StateChunk.Meta(TransferFixtures.flipped(meta.serviceRoot()), meta.partitionCount(),
                    meta.clientTableDigest()))
            : chunk);

    /** A meta with the right roots but another partition count, which the digest does not cover. */
    Behaviour WRONG_PARTITION_COUNT = (ask, honest) -> honest.map(chunk -> chunk.content() instanceof StateChunk.Meta meta
            ? with(chunk, new StateChunk.Meta(meta.serviceRoot(), 2 * meta.partitionCount(), meta.clientTableDigest()))
            : chunk);

    /** Node hashes with the last one altered. */
    Behaviour WRONG_NODES = (ask, honest) -> honest.map(chunk -> {
        if (!(chunk.content() instanceof StateChunk.Nodes nodes)) {
            return chunk;
        }
        List<ByteString> hashes = new ArrayList<>(nodes.hashes());
        hashes.set(hashes.size() - 1, TransferFixtures.flipped(hashes.get(hashes.size() - 1)));
        return with(chunk, new StateChunk.Nodes(nodes.level(), nodes.firstIndex(), hashes));
    });

    /** Partition chunks that do not parse as key-value entries. */
    Behaviour GARBAGE_CHUNKS = (ask, honest) -> honest.map(chunk -> chunk.content() instanceof StateChunk.Partition p
            && p.index() >= 0 ? with(chunk, new StateChunk.Partition(p.index(), ByteString.copyFromUtf8("garbage"), p.next()))
            : chunk);

    /** Client table chunks with their first byte flipped: only the digest of the whole can tell. */
    Behaviour WRONG_TABLE = (ask, honest) -> honest.map(chunk -> chunk.content() instanceof StateChunk.Partition p
            && p.index() == FetchState.CLIENT_TABLE
            ? with(chunk, new StateChunk.Partition(p.index(), TransferFixtures.flipped(p.content()), p.next()))
            : chunk);

    /**
     * Well-formed partition chunks read from {@code forged} instead of the checkpoint: every chunk
     * passes the install's checks, and only the commit against the verified digest fails.
     */
    static Behaviour forgedContent(KeyValueStateMachine forged) {
        return (ask, honest) -> honest.map(chunk -> {
            if (!(chunk.content() instanceof StateChunk.Partition p) || p.index() < 0) {
                return chunk;
            }
            FetchState.Partition asked = (FetchState.Partition) ask.part();
            PartitionChunk read = forged.readPartition(p.index(), asked.cursor().toByteArray(),
                    Math.min(asked.maxBytes(), 1 << 20));
            return with(chunk, new StateChunk.Partition(p.index(), ByteString.copyFrom(read.content()),
                    ByteString.copyFrom(read.next())));
        });
    }

    /** Each answer chosen from {@code behaviours} by {@code random}: a server that lies now and then. */
    static Behaviour mixed(Random random, Behaviour... behaviours) {
        return (ask, honest) -> behaviours[random.nextInt(behaviours.length)].answer(ask, honest);
    }

    private static StateChunk with(StateChunk chunk, StateChunk.Content content) {
        return new StateChunk(chunk.sequence(), chunk.request(), content, chunk.replica());
    }
}
