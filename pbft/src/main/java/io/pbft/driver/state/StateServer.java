package io.pbft.driver.state;

import com.google.protobuf.ByteString;
import io.pbft.core.StateDigests;
import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.merkle.MerkleNode;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers peers' {@link FetchState} requests from the checkpoints this replica keeps (the last
 * stable one and newer ones), within {@link StateTransferLimits}: at most {@code maxNodeHashes}
 * hashes and about {@code maxChunkBytes} of content per answer, whatever a peer asks for. A
 * request it cannot answer gets no answer and is counted ({@link #dropped}); the fetcher asks
 * another replica.
 *
 * <p>Node levels: 0 is the root and {@code depth} the leaves, as in {@link MerkleNode}; level
 * {@code depth + 1} answers the partition digests the leaves are built from ({@code leaf =
 * MerkleHash.leaf(digest)}), which a fetcher needs to commit a partition and checks against the
 * verified leaf as it checks a pair of children against their parent.
 *
 * <p>Deterministic and not thread-safe: the driver calls it from one thread, off the core.
 */
public final class StateServer {

    private final int self;
    private final StateDigests digests;
    private final StateTransferLimits limits;
    private final TreeMap<Long, Kept> kept = new TreeMap<>();
    private final TransferDrops drops = new TransferDrops();

    /** A checkpoint served, with its tree and meta answer computed once. */
    private record Kept(ServedCheckpoint checkpoint, MerkleTree tree, StateChunk.Meta meta) {}

    public StateServer(int self, StateDigests digests, StateTransferLimits limits) {
        this.self = self;
        this.digests = Objects.requireNonNull(digests, "digests");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Serves {@code checkpoint} from now on. Past {@link StateTransferLimits#maxKeptCheckpoints()},
     * drops the oldest but the lowest: the lowest is the stable one that fetchers ask for.
     */
    public void keep(ServedCheckpoint checkpoint) {
        MerkleTree tree = checkpoint.merkleTree();
        ByteString root = ByteString.copyFrom(tree.root());
        ByteString tableDigest = digests.clientTableDigest(checkpoint.clientTable());
        kept.put(checkpoint.sequence(), new Kept(checkpoint, tree,
                new StateChunk.Meta(root, tree.leafCount(), tableDigest)));
        if (kept.size() > limits.maxKeptCheckpoints()) {
            kept.remove(kept.higherKey(kept.firstKey())).checkpoint().close();
        }
    }

    /** Stops serving checkpoints below {@code stableSequence}, once a checkpoint there is stable. */
    public void discardBelow(long stableSequence) {
        Map<Long, Kept> below = kept.headMap(stableSequence, false);
        below.values().forEach(discarded -> discarded.checkpoint().close());
        below.clear();
    }

    /** The sequence numbers of the checkpoints served, in order. */
    /** The checkpoint kept for {@code sequence}, if any, to read on this thread. */
    public Optional<ServedCheckpoint> kept(long sequence) {
        Kept checkpoint = kept.get(sequence);
        return checkpoint == null ? Optional.empty() : Optional.of(checkpoint.checkpoint());
    }

    public NavigableSet<Long> keptSequences() {
        return Collections.unmodifiableNavigableSet(kept.navigableKeySet());
    }

    /** The answer to {@code fetch} from replica {@code from}, or empty if it gets none. */
    public Optional<StateChunk> onFetch(int from, FetchState fetch) {
        if (from != fetch.replica()) {
            return drop(TransferDrop.SENDER_MISMATCH);
        }
        Kept checkpoint = kept.get(fetch.sequence());
        if (checkpoint == null) {
            return drop(TransferDrop.CHECKPOINT_NOT_KEPT);
        }
        FetchState.Part part = fetch.part();
        Optional<StateChunk.Content> content;
        if (part instanceof FetchState.Nodes nodes) {
            content = nodes(checkpoint.tree(), nodes);
        } else if (part instanceof FetchState.Partition partition) {
            content = partition.index() == FetchState.CLIENT_TABLE
                    ? clientTable(checkpoint.checkpoint().clientTable(), partition)
                    : partition(checkpoint, partition);
        } else {
            content = Optional.of(checkpoint.meta());
        }
        return content.map(c -> new StateChunk(fetch.sequence(), fetch.request(), c, self));
    }

    public long dropped(TransferDrop reason) {
        return drops.get(reason);
    }

    public Map<TransferDrop, Long> drops() {
        return drops.snapshot();
    }

    private Optional<StateChunk.Content> nodes(MerkleTree tree, FetchState.Nodes ask) {
        int level = ask.level();
        if (level < 0 || level > tree.depth() + 1) {
            return drop(TransferDrop.BAD_NODE_RANGE);
        }
        int width = level <= tree.depth() ? 1 << level : tree.leafCount();
        if (ask.firstIndex() < 0 || ask.firstIndex() >= width || ask.count() < 1) {
            return drop(TransferDrop.BAD_NODE_RANGE);
        }
        int count = Math.min(Math.min(ask.count(), limits.maxNodeHashes()), width - ask.firstIndex());
        List<ByteString> hashes = new ArrayList<>(count);
        for (int index = ask.firstIndex(); index < ask.firstIndex() + count; index++) {
            byte[] hash = level <= tree.depth() ? tree.hash(new MerkleNode(level, index)) : tree.leafDigest(index);
            hashes.add(ByteString.copyFrom(hash));
        }
        return Optional.of(new StateChunk.Nodes(level, ask.firstIndex(), hashes));
    }

    private Optional<StateChunk.Content> partition(Kept checkpoint, FetchState.Partition ask) {
        if (ask.index() < 0 || ask.index() >= checkpoint.tree().leafCount()) {
            return drop(TransferDrop.BAD_PARTITION_INDEX);
        }
        if (ask.cursor().size() > limits.maxCursorBytes()) {
            return drop(TransferDrop.BAD_CURSOR);
        }
        PartitionChunk chunk;
        try {
            chunk = checkpoint.checkpoint().readPartition(ask.index(), ask.cursor().toByteArray(), chunkBytes(ask));
        } catch (IllegalArgumentException malformedCursor) {
            return drop(TransferDrop.BAD_CURSOR);
        }
        return Optional.of(new StateChunk.Partition(ask.index(), ByteString.copyFrom(chunk.content()),
                ByteString.copyFrom(chunk.next())));
    }

    private Optional<StateChunk.Content> clientTable(ByteString table, FetchState.Partition ask) {
        int offset = TableCursor.offsetOf(ask.cursor());
        if (offset < 0 || offset > table.size()) {
            return drop(TransferDrop.BAD_CURSOR);
        }
        int end = (int) Math.min(table.size(), (long) offset + chunkBytes(ask));
        ByteString next = end == table.size() ? ByteString.EMPTY : TableCursor.at(end);
        return Optional.of(new StateChunk.Partition(FetchState.CLIENT_TABLE, table.substring(offset, end), next));
    }

    /** What the peer asked for, within 1..maxChunkBytes: a peer cannot ask for a 1 GB chunk. */
    private int chunkBytes(FetchState.Partition ask) {
        return Math.max(1, Math.min(ask.maxBytes(), limits.maxChunkBytes()));
    }

    private <T> Optional<T> drop(TransferDrop reason) {
        drops.count(reason);
        return Optional.empty();
    }
}
