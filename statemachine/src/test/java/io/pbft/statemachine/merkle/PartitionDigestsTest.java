package io.pbft.statemachine.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionDigestsTest {

    private final SplittableRandom random = new SplittableRandom(11);
    private final byte[] empty = ReferenceMerkle.randomDigest(random);
    private final byte[][] current = {empty, empty, empty, empty, empty, empty, empty, empty};
    private final List<Integer> digested = new ArrayList<>();
    private final PartitionDigests digests = new PartitionDigests(8, empty, partition -> {
        digested.add(partition);
        return current[partition];
    });

    @Test
    void freshDigestsHashNoPartition() {
        assertThat(digests.root()).isEqualTo(ReferenceMerkle.root(current));
        assertThat(digested).isEmpty();
    }

    @Test
    void eachChangedPartitionIsDigestedOnceWhenTheRootIsAsked() {
        for (int write = 0; write < 100; write++) {
            int partition = write % 2 == 0 ? 3 : 6;
            current[partition] = ReferenceMerkle.randomDigest(random);
            digests.markChanged(partition);
        }

        assertThat(digests.root()).isEqualTo(ReferenceMerkle.root(current));
        assertThat(digests.root()).isEqualTo(ReferenceMerkle.root(current));
        assertThat(digested).containsExactly(3, 6);
    }

    @Test
    void partitionDigestRefreshesOnlyThatPartition() {
        current[1] = ReferenceMerkle.randomDigest(random);
        current[2] = ReferenceMerkle.randomDigest(random);
        digests.markChanged(1);
        digests.markChanged(2);

        assertThat(digests.partitionDigest(2)).isEqualTo(current[2]);
        assertThat(digested).containsExactly(2);
        assertThat(digests.tree().root()).isEqualTo(ReferenceMerkle.root(current));
        assertThat(digested).containsExactly(2, 1);
    }

    @Test
    void markAllChangedDigestsEveryPartitionOnce() {
        digests.markAllChanged();

        assertThat(digests.root()).isEqualTo(ReferenceMerkle.root(current));
        assertThat(digested).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
}
