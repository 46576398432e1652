package io.pbft.driver.state;

import io.pbft.core.message.FetchState;
import io.pbft.core.message.StateChunk;
import io.pbft.statemachine.merkle.MerkleHash;
import io.pbft.statemachine.merkle.MerkleNode;
import io.pbft.statemachine.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 2, one node at a time: the descendants of a verified node that differs from the local
 * tree, as many levels down as fit {@link StateTransferLimits#maxNodeHashes()} hashes, accepted
 * only if they hash up to that node. Those that differ from the local tree are walked further;
 * at level {@code depth + 1} (the partition digests under the leaves) they become partitions to
 * fetch.
 *
 * <p>With the default limits a tree of up to 1024 partitions is walked in one request; a smaller
 * {@code maxNodeHashes} walks in more, smaller steps.
 */
final class WalkJob implements FetchJob {

    private final FetchTarget target;
    private final int level;
    private final int index;
    private final byte[] verifiedHash;
    /** Levels between this node and the level asked for that double the width (the digest level does not). */
    private final int doublings;
    private final int toLevel;

    WalkJob(FetchTarget target, int level, int index, byte[] verifiedHash) {
        this.target = target;
        this.level = level;
        this.index = index;
        this.verifiedHash = verifiedHash.clone();
        int depth = depth();
        int widest = 31 - Integer.numberOfLeadingZeros(target.limits.maxNodeHashes());
        this.doublings = Math.min(depth - level, widest);
        this.toLevel = level + doublings == depth ? depth + 1 : level + doublings;
    }

    @Override
    public FetchState.Part part() {
        return new FetchState.Nodes(toLevel, firstIndex(), width());
    }

    @Override
    public Result onAnswer(int from, StateChunk.Content content) {
        if (!(content instanceof StateChunk.Nodes nodes) || nodes.level() != toLevel
                || nodes.firstIndex() != firstIndex() || nodes.hashes().size() != width()) {
            return FetchJob.refused(TransferDrop.MISMATCHED_ANSWER, from);
        }
        byte[][] claimed = new byte[width()][];
        for (int i = 0; i < claimed.length; i++) {
            claimed[i] = nodes.hashes().get(i).toByteArray();
            if (claimed[i].length != MerkleHash.BYTES) {
                return FetchJob.refused(TransferDrop.WRONG_NODE_HASHES, from);
            }
        }
        if (!Arrays.equals(hashUp(claimed), verifiedHash)) {
            return FetchJob.refused(TransferDrop.WRONG_NODE_HASHES, from);
        }
        target.tally.nodeHashesReceived += claimed.length;
        return FetchJob.accepted(differing(claimed));
    }

    /** Hashes the claimed descendants up to this node's level: leaf hashes first if they are partition digests. */
    private byte[] hashUp(byte[][] claimed) {
        byte[][] layer = claimed;
        if (toLevel == depth() + 1) {
            layer = new byte[claimed.length][];
            for (int i = 0; i < claimed.length; i++) {
                layer[i] = MerkleHash.leaf(claimed[i]);
            }
        }
        while (layer.length > 1) {
            byte[][] parents = new byte[layer.length / 2][];
            for (int i = 0; i < parents.length; i++) {
                parents[i] = MerkleHash.inner(layer[2 * i], layer[2 * i + 1]);
            }
            layer = parents;
        }
        return layer[0];
    }

    /** The verified descendants that differ from the local tree, as the next work. */
    private List<FetchJob> differing(byte[][] verified) {
        MerkleTree local = target.localTree();
        boolean digests = toLevel == depth() + 1;
        List<FetchJob> next = new ArrayList<>();
        for (int i = 0; i < verified.length; i++) {
            int at = firstIndex() + i;
            byte[] mine = digests ? local.leafDigest(at) : local.hash(new MerkleNode(toLevel, at));
            if (!Arrays.equals(mine, verified[i])) {
                next.add(digests ? new PartitionJob(target, at, verified[i]) : new WalkJob(target, toLevel, at, verified[i]));
            }
        }
        return next;
    }

    private int firstIndex() {
        return index << doublings;
    }

    private int width() {
        return 1 << doublings;
    }

    private int depth() {
        return target.localTree().depth();
    }
}
