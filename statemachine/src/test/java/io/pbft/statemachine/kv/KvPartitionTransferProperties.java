package io.pbft.statemachine.kv;

import static io.pbft.statemachine.SeededRuns.forEachSeed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionTransfer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The state side of state transfer on the key-value store: find the differing partitions with the
 * tree walk, copy them chunk by chunk, and refuse anything tampered with. Seeds per property:
 * {@code -Dpbft.merkle.seeds=N}; a failure names its seed and a replay command.
 */
class KvPartitionTransferProperties {

    private static final int MAX_OPS = 300;

    @Test
    void copyingTheDifferingPartitionsChunkByChunkMakesTheStoresEqual(TestInfo test) {
        forEachSeed(test, seeds(), random -> {
            int partitions = 1 << random.nextInt(7);
            KeyValueStateMachine source = randomStore(random, partitions);
            KeyValueStateMachine lagging = randomStore(random, partitions);
            KvOpGen.applyAll(source, KvOpGen.widePuts(random, 50));

            List<Integer> differing = lagging.merkleTree().differingLeaves(source.stateDigest(), source.merkleTree()::hash);
            assertThat(differing).isEqualTo(partitionsWhoseDigestsDiffer(source, lagging));
            int maxBytes = 1 + random.nextInt(200);
            for (int partition : differing) {
                PartitionTransfer.copy(source, lagging, partition, maxBytes);
                assertThat(lagging.partitionDigest(partition)).isEqualTo(source.partitionDigest(partition));
            }

            assertThat(lagging.stateDigest()).isEqualTo(source.stateDigest());
            assertThat(lagging.entries()).isEqualTo(source.entries());
            assertThat(lagging.size()).isEqualTo(source.size());
            assertThat(lagging.snapshot()).isEqualTo(source.snapshot());
        });
    }

    @Test
    void chunksStayWithinTheirBoundUnlessOneEntryAloneExceedsIt(TestInfo test) {
        forEachSeed(test, seeds(), random -> {
            KeyValueStateMachine store = randomStore(random, 1 << random.nextInt(4));
            int partition = random.nextInt(store.partitionCount());
            int maxBytes = 1 + random.nextInt(120);
            byte[] cursor = new byte[0];
            List<Map.Entry<String, String>> read = new ArrayList<>();
            PartitionChunk chunk;
            do {
                chunk = store.readPartition(partition, cursor, maxBytes);
                List<Map.Entry<String, String>> entries = KvChunkCodec.decode(chunk.content());
                assertThat(chunk.contentBytes() <= maxBytes || entries.size() == 1)
                        .as("%d bytes in %d entries, bound %d", chunk.contentBytes(), entries.size(), maxBytes).isTrue();
                if (entries.isEmpty()) {
                    assertThat(read).as("an empty chunk is the only chunk of an empty partition").isEmpty();
                    assertThat(chunk.isLast()).isTrue();
                }
                read.addAll(entries);
                cursor = chunk.next();
            } while (!chunk.isLast());

            Map<String, String> expected = new TreeMap<>();
            store.entries().forEach((key, value) -> {
                if (store.partitionOf(key) == partition) {
                    expected.put(key, value);
                }
            });
            assertThat(read).containsExactlyElementsOf(expected.entrySet());
        });
    }

    @Test
    void aTamperedTransferIsRejectedAndLeavesTheTargetUnchanged(TestInfo test) {
        forEachSeed(test, seeds(), random -> {
            int partitions = 1 << random.nextInt(5);
            KeyValueStateMachine source = randomStore(random, partitions);
            source.execute(KvOps.put("always-there", KvOpGen.longValue(random)));
            int partition = source.partitionOf("always-there");
            List<byte[]> chunks = PartitionTransfer.readAll(source, partition, 1 + random.nextInt(100));
            KeyValueStateMachine target = randomStore(random, partitions);
            byte[] digestBefore = target.stateDigest();
            Map<String, String> entriesBefore = target.entries();
            List<byte[]> tampered = KvTampering.tamper(chunks, source, random);

            boolean rejected = false;
            try {
                PartitionTransfer.install(target, partition, tampered, source.partitionDigest(partition));
            } catch (IllegalArgumentException expected) {
                rejected = true;
            }

            assertThat(rejected).as("install of tampered chunks").isTrue();
            assertThat(target.stateDigest()).isEqualTo(digestBefore);
            assertThat(target.entries()).isEqualTo(entriesBefore);
        });
    }

    private static KeyValueStateMachine randomStore(SplittableRandom random, int partitions) {
        return KvOpGen.randomStore(random, partitions, MAX_OPS);
    }

    private static List<Integer> partitionsWhoseDigestsDiffer(KeyValueStateMachine first, KeyValueStateMachine second) {
        List<Integer> differing = new ArrayList<>();
        for (int p = 0; p < first.partitionCount(); p++) {
            if (!Arrays.equals(first.partitionDigest(p), second.partitionDigest(p))) {
                differing.add(p);
            }
        }
        return differing;
    }

    private static int seeds() {
        return Integer.getInteger("pbft.merkle.seeds", 100);
    }
}
