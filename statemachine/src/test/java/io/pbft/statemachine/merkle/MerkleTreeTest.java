package io.pbft.statemachine.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleTreeTest {

    private final SplittableRandom random = new SplittableRandom(7);
    private final byte[] a = ReferenceMerkle.randomDigest(random);
    private final byte[] b = ReferenceMerkle.randomDigest(random);

    @Test
    void leafAndInnerHashesAreSha256WithDifferentPrefixes() {
        assertThat(MerkleHash.leaf(a)).isEqualTo(ReferenceMerkle.sha256((byte) 0x00, a));
        assertThat(MerkleHash.inner(a, b)).isEqualTo(ReferenceMerkle.sha256((byte) 0x01, a, b));
    }

    @Test
    void anInnerNodeCannotPassAsTheLeafOfItsOwnHash() {
        // Without prefixes, a peer could claim "partition digest = inner hash" one level up.
        byte[] inner = MerkleHash.inner(MerkleHash.leaf(a), MerkleHash.leaf(b));
        MerkleTree twoLeaves = new MerkleTree(2, a);
        twoLeaves.update(1, b);

        assertThat(twoLeaves.root()).isEqualTo(inner);
        assertThat(new MerkleTree(1, inner).root()).isNotEqualTo(inner);
    }

    @Test
    void oneLeafTreeHasTheLeafHashAsRoot() {
        assertThat(new MerkleTree(1, a).root()).isEqualTo(MerkleHash.leaf(a));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -4, 3, 6, MerkleTree.MAX_LEAVES * 2})
    void leafCountMustBeAPowerOfTwoWithinTheLimit(int leafCount) {
        assertThatThrownBy(() -> new MerkleTree(leafCount, a)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void initialTreeEqualsTheReferenceOverEqualLeaves() {
        byte[][] leaves = {a, a, a, a, a, a, a, a};

        assertThat(new MerkleTree(8, a).root()).isEqualTo(ReferenceMerkle.root(leaves));
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        MerkleTree original = new MerkleTree(4, a);
        original.update(2, b);
        MerkleTree copy = original.copy();
        byte[] rootBefore = original.root();

        copy.update(3, b);

        assertThat(original.root()).isEqualTo(rootBefore);
        assertThat(copy.root()).isNotEqualTo(rootBefore);
        assertThat(copy.leafDigest(2)).isEqualTo(b);
    }

    @Test
    void updateBackToTheOldDigestRestoresTheOldRoot() {
        MerkleTree tree = new MerkleTree(16, a);
        byte[] root = tree.root();

        tree.update(5, b);
        byte[] changed = tree.root();
        tree.update(5, a);

        assertThat(changed).isNotEqualTo(root);
        assertThat(tree.root()).isEqualTo(root);
    }

    @Test
    void nodesBelowTheLeavesAndDigestsOfTheWrongLengthAreRejected() {
        MerkleTree tree = new MerkleTree(4, a);

        assertThatThrownBy(() -> tree.hash(new MerkleNode(3, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.update(0, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.update(4, a)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void walkOfEqualTreesAsksThePeerNothing() {
        MerkleTree tree = new MerkleTree(64, a);

        assertThat(tree.copy().differingLeaves(tree.root(), node -> {
            throw new AssertionError("asked for " + node);
        })).isEmpty();
    }

    @Test
    void walkRejectsAClaimedHashOfTheWrongLength() {
        MerkleTree mine = new MerkleTree(4, a);
        MerkleTree theirs = new MerkleTree(4, b);

        assertThatThrownBy(() -> mine.differingLeaves(theirs.root(), node -> new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeKnowsItsChildrenAndParent() {
        MerkleNode node = new MerkleNode(2, 3);

        assertThat(node.left()).isEqualTo(new MerkleNode(3, 6));
        assertThat(node.right()).isEqualTo(new MerkleNode(3, 7));
        assertThat(node.right().parent()).isEqualTo(node);
        assertThat(MerkleNode.ofHeapIndex(node.heapIndex())).isEqualTo(node);
        assertThatThrownBy(() -> new MerkleNode(2, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(MerkleNode.ROOT::parent).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void proofThatCannotBelongToTheTreeIsFalseNotAnException() {
        MerkleTree tree = new MerkleTree(4, a);
        byte[] root = tree.root();

        assertThat(MerkleProof.verify(root, 4, Map.of())).as("empty").isFalse();
        assertThat(MerkleProof.verify(root, 4, Map.of(new MerkleNode(3, 0), a))).as("below the leaves").isFalse();
        assertThat(MerkleProof.verify(root, 4, Map.of(MerkleNode.ROOT, new byte[5]))).as("short hash").isFalse();
        assertThat(MerkleProof.verify(root, 4, Map.of(new MerkleNode(2, 0), tree.hash(new MerkleNode(2, 0)))))
                .as("sibling missing").isFalse();
        assertThat(MerkleProof.verify(root, 4, Map.of(MerkleNode.ROOT, root))).as("the root alone").isTrue();
    }
}
