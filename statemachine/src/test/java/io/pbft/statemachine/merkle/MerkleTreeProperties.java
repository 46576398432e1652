package io.pbft.statemachine.merkle;

import static io.pbft.statemachine.SeededRuns.forEachSeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Properties of the incremental tree against {@link ReferenceMerkle}. Seeds per property: {@code
 * -Dpbft.merkle.seeds=N}; a failure names its seed and a replay command.
 */
class MerkleTreeProperties {

    private static final int MAX_DEPTH = 8;

    @Test
    void incrementalRootEqualsARebuildFromScratchAfterAnySequenceOfUpdates(TestInfo test) {
        forEachSeed(test, ReferenceMerkle.seeds(), random -> {
            byte[][] leaves = initialLeaves(random);
            MerkleTree tree = new MerkleTree(leaves.length, leaves[0]);
            List<byte[]> pool = List.of(leaves[0], ReferenceMerkle.randomDigest(random),
                    ReferenceMerkle.randomDigest(random));
            for (int step = random.nextInt(300); step > 0; step--) {
                int leaf = random.nextInt(leaves.length);
                // Often a digest from a small pool, so that updates repeat or undo earlier ones.
                leaves[leaf] = random.nextBoolean()
                        ? pool.get(random.nextInt(pool.size()))
                        : ReferenceMerkle.randomDigest(random);
                tree.update(leaf, leaves[leaf]);
                if (random.nextInt(10) == 0) {
                    assertThat(tree.root()).as("root after step %d", step).isEqualTo(ReferenceMerkle.root(leaves));
                }
            }
            assertThat(tree.root()).isEqualTo(ReferenceMerkle.root(leaves));
            MerkleNode node = randomNode(random, tree.depth());
            assertThat(tree.hash(node)).as("hash of %s", node)
                    .isEqualTo(ReferenceMerkle.hash(leaves, node.level(), node.index()));
        });
    }

    @Test
    void diffWalkFindsExactlyTheLeavesThatDiffer(TestInfo test) {
        forEachSeed(test, ReferenceMerkle.seeds(), random -> {
            MerkleTree mine = randomTree(random);
            MerkleTree theirs = mine.copy();
            scatterUpdates(random, mine, theirs);

            List<Integer> differing = mine.differingLeaves(theirs.root(), theirs::hash);

            List<Integer> expected = new ArrayList<>();
            for (int leaf = 0; leaf < mine.leafCount(); leaf++) {
                if (!Arrays.equals(mine.leafDigest(leaf), theirs.leafDigest(leaf))) {
                    expected.add(leaf);
                }
            }
            assertThat(differing).isEqualTo(expected);
        });
    }

    @Test
    void diffWalkRejectsAClaimedHashThatDoesNotHashToItsParent(TestInfo test) {
        forEachSeed(test, ReferenceMerkle.seeds(), random -> {
            MerkleTree mine = randomTree(random);
            MerkleTree theirs = mine.copy();
            theirs.update(random.nextInt(mine.leafCount()), ReferenceMerkle.randomDigest(random));
            scatterUpdates(random, mine, theirs);
            List<MerkleNode> asked = new ArrayList<>();
            mine.differingLeaves(theirs.root(), node -> {
                asked.add(node);
                return theirs.hash(node);
            });
            if (asked.isEmpty()) {
                return; // a one-leaf tree: the trusted root is all there is to claim
            }
            MerkleNode lie = asked.get(random.nextInt(asked.size()));

            assertThatThrownBy(() -> mine.differingLeaves(theirs.root(),
                            node -> node.equals(lie) ? flipOneBit(theirs.hash(node), random) : theirs.hash(node)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("do not hash to it");
        });
    }

    @Test
    void proofOfRandomLeavesVerifiesAndAnyChangeToItDoesNot(TestInfo test) {
        forEachSeed(test, ReferenceMerkle.seeds(), random -> {
            MerkleTree tree = randomTree(random);
            scatterUpdates(random, tree, tree.copy());
            Map<MerkleNode, byte[]> proof = proofOf(tree, randomLeaves(random, tree));
            byte[] root = tree.root();

            assertThat(MerkleProof.verify(root, tree.leafCount(), proof)).as("honest proof").isTrue();
            assertThat(MerkleProof.verify(flipOneBit(root, random), tree.leafCount(), proof)).as("other root").isFalse();
            List<MerkleNode> claimed = proof.keySet().stream()
                    .sorted(Comparator.comparingInt(MerkleNode::heapIndex))
                    .toList();
            MerkleNode changed = claimed.get(random.nextInt(claimed.size()));
            Map<MerkleNode, byte[]> tampered = new HashMap<>(proof);
            tampered.put(changed, flipOneBit(proof.get(changed), random));
            assertThat(MerkleProof.verify(root, tree.leafCount(), tampered)).as("tampered %s", changed).isFalse();
            if (claimed.size() > 1) {
                Map<MerkleNode, byte[]> missing = new HashMap<>(proof);
                missing.remove(changed);
                assertThat(MerkleProof.verify(root, tree.leafCount(), missing)).as("without %s", changed).isFalse();
            }
        });
    }

    /** Leaves, all with one initial digest, of a tree of random size. */
    private static byte[][] initialLeaves(SplittableRandom random) {
        byte[][] leaves = new byte[ReferenceMerkle.randomLeafCount(random, MAX_DEPTH)][];
        Arrays.fill(leaves, ReferenceMerkle.randomDigest(random));
        return leaves;
    }

    private static MerkleTree randomTree(SplittableRandom random) {
        return new MerkleTree(ReferenceMerkle.randomLeafCount(random, MAX_DEPTH), ReferenceMerkle.randomDigest(random));
    }

    /** Random updates to either tree, some the same in both, so they differ in some leaves only. */
    private static void scatterUpdates(SplittableRandom random, MerkleTree first, MerkleTree second) {
        for (int step = random.nextInt(2 * first.leafCount() + 1); step > 0; step--) {
            int leaf = random.nextInt(first.leafCount());
            byte[] digest = ReferenceMerkle.randomDigest(random);
            switch (random.nextInt(3)) {
                case 0 -> first.update(leaf, digest);
                case 1 -> second.update(leaf, digest);
                default -> {
                    first.update(leaf, digest);
                    second.update(leaf, digest);
                }
            }
        }
    }

    private static TreeSet<Integer> randomLeaves(SplittableRandom random, MerkleTree tree) {
        TreeSet<Integer> leaves = new TreeSet<>();
        for (int i = 1 + random.nextInt(Math.min(tree.leafCount(), 8)); i > 0; i--) {
            leaves.add(random.nextInt(tree.leafCount()));
        }
        return leaves;
    }

    /** The leaves and, for each node on their paths to the root, the sibling not itself on a path. */
    static Map<MerkleNode, byte[]> proofOf(MerkleTree tree, TreeSet<Integer> leaves) {
        TreeSet<Integer> onPaths = new TreeSet<>();
        for (int leaf : leaves) {
            for (int k = tree.leafCount() + leaf; k >= 1; k >>>= 1) {
                onPaths.add(k);
            }
        }
        Map<MerkleNode, byte[]> proof = new HashMap<>();
        for (int leaf : leaves) {
            proof.put(tree.leafNode(leaf), tree.hash(tree.leafNode(leaf)));
        }
        for (int k : onPaths) {
            if (k > 1 && !onPaths.contains(k ^ 1)) {
                MerkleNode sibling = MerkleNode.ofHeapIndex(k ^ 1);
                proof.put(sibling, tree.hash(sibling));
            }
        }
        return proof;
    }

    private static MerkleNode randomNode(SplittableRandom random, int depth) {
        int level = random.nextInt(depth + 1);
        return new MerkleNode(level, random.nextInt(1 << level));
    }

    private static byte[] flipOneBit(byte[] hash, SplittableRandom random) {
        byte[] flipped = hash.clone();
        flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        return flipped;
    }
}
