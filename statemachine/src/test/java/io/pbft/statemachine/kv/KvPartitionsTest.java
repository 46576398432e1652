package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.PartitionInstall;
import io.pbft.statemachine.PartitionTransfer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The partitions of the key-value store: the function, the digests, chunks and installs. */
class KvPartitionsTest {

    private final KeyValueStateMachine store = new KeyValueStateMachine();

    @Test
    void digestsAreThoseComputedIndependentlyFromTheProtocolDefinition() {
        // Computed outside Java from the definitions (key hash, partition digest, Merkle hashes):
        // a change here is a protocol upgrade, never a refactoring.
        assertThat(HexFormat.of().formatHex(store.stateDigest()))
                .isEqualTo("71858adb8091a5874b02ab4bed517d0dd69bfe853a41efa5b0dd7b28a890aa2f");
        store.execute(KvOps.put("a", "1"));
        store.execute(KvOps.put("b", "2"));
        store.execute(KvOps.put("ключ", "värde"));

        assertThat(HexFormat.of().formatHex(store.stateDigest()))
                .isEqualTo("2b1baa5de39aa67d75d252a585c1cff5f628d63cbf8c567ed1a7dffebdea970f");
        assertThat(List.of(store.partitionOf("a"), store.partitionOf("b"), store.partitionOf("ключ")))
                .containsExactly(202, 62, 29);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "k17", "ключ", "\uD83D\uDE00k"})
    void partitionIsTheTopBitsOfTheKeyHashSoPartitionsNest(String key) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));

        assertThat(store.partitionOf(key)).isEqualTo(hash[0] & 0xFF);
        assertThat(new KeyValueStateMachine(1).partitionOf(key)).isZero();
        for (int count = 2; count <= 1 << 16; count *= 2) {
            assertThat(new KeyValueStateMachine(count).partitionOf(key) >>> 1)
                    .as("partition among %d", count).isEqualTo(new KeyValueStateMachine(count / 2).partitionOf(key));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 100, -256})
    void partitionCountMustBeAPowerOfTwo(int count) {
        assertThatIllegalArgumentException().isThrownBy(() -> new KeyValueStateMachine(count));
    }

    @Test
    void aWriteChangesTheDigestOfItsOwnPartitionOnly() {
        byte[][] before = partitionDigests();
        store.execute(KvOps.put("k", "v"));
        byte[][] after = partitionDigests();

        int written = store.partitionOf("k");
        for (int p = 0; p < store.partitionCount(); p++) {
            if (p == written) {
                assertThat(after[p]).as("partition %d", p).isNotEqualTo(before[p]);
            } else {
                assertThat(after[p]).as("partition %d", p).isEqualTo(before[p]);
            }
        }
        assertThat(store.stateDigest()).isEqualTo(store.merkleTree().root());
    }

    @Test
    void anEntryLargerThanTheBoundStillMovesInAChunkOfItsOwn() {
        String big = "x".repeat(500);
        store.execute(KvOps.put("k", big));
        int partition = store.partitionOf("k");

        PartitionChunk chunk = store.readPartition(partition, new byte[0], 10);

        assertThat(chunk.isLast()).isTrue();
        assertThat(KvChunkCodec.decode(chunk.content())).containsExactly(Map.entry("k", big));
    }

    static Stream<Arguments> malformedChunks() {
        byte[] good = KvTampering.encode(List.of(Map.entry("a", "1")));
        return Stream.of(
                Arguments.of("truncated length", new byte[] {0, 0}),
                Arguments.of("length past the end", new byte[] {0, 0, 0, 9, 'a'}),
                Arguments.of("negative length", new byte[] {(byte) 0xFF, 0, 0, 0}),
                Arguments.of("key without a value", new byte[] {0, 0, 0, 1, 'a'}),
                Arguments.of("invalid UTF-8", new byte[] {0, 0, 0, 1, (byte) 0xC3, 0, 0, 0, 0}),
                Arguments.of("keys out of order", KvTampering.encode(List.of(Map.entry("b", "1"), Map.entry("a", "1")))),
                Arguments.of("duplicate key", KvTampering.encode(List.of(Map.entry("a", "1"), Map.entry("a", "2")))),
                Arguments.of("trailing byte", Arrays.copyOf(good, good.length + 1)),
                Arguments.of("key of another partition", KvTampering.encode(List.of(Map.entry("b", "1")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChunks")
    void malformedChunkIsRejectedWithoutEffect(String name, byte[] chunk) {
        store.execute(KvOps.put("a", "0"));
        byte[] digest = store.stateDigest();
        PartitionInstall install = store.installPartition(store.partitionOf("a"));

        assertThatIllegalArgumentException().isThrownBy(() -> install.append(chunk));
        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(store.entries()).containsExactly(Map.entry("a", "0"));
    }

    @Test
    void aRejectedChunkLeavesTheInstallAsBeforeSoTheGoodChunkCanFollow() {
        KeyValueStateMachine source = storeWithKeysInOnePartition(4);
        int partition = source.partitionOf("k0");
        List<byte[]> chunks = PartitionTransfer.readAll(source, partition, 1);
        PartitionInstall install = store.installPartition(partition);
        install.append(chunks.get(0));
        byte[] bad = chunks.get(1).clone();
        bad[bad.length - 1] = (byte) 0xFF; // invalid UTF-8 at the end of the value

        assertThatIllegalArgumentException().isThrownBy(() -> install.append(bad));
        chunks.subList(1, chunks.size()).forEach(install::append);
        install.commit(source.partitionDigest(partition));

        assertThat(store.partitionDigest(partition)).isEqualTo(source.partitionDigest(partition));
        assertThatThrownBy(() -> install.commit(source.partitionDigest(partition))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wrongDigestAtCommitChangesNothing() {
        store.execute(KvOps.put("mine", "1"));
        byte[] digest = store.stateDigest();
        KeyValueStateMachine source = storeWithKeysInOnePartition(3);
        int partition = source.partitionOf("k0");

        assertThatThrownBy(() -> PartitionTransfer.install(store, partition, PartitionTransfer.readAll(source, partition, 50),
                        store.partitionDigest(partition)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(store.entries()).containsExactly(Map.entry("mine", "1"));
    }

    @Test
    void badCursorsPartitionsAndBoundsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> store.readPartition(0, new byte[] {'x', 'a'}, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readPartition(0, new byte[] {'k', (byte) 0xC3}, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readPartition(0, null, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readPartition(0, new byte[0], 0));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readPartition(256, new byte[0], 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.partitionDigest(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> store.installPartition(256));
    }

    /** A store with {@code count} keys k0, k1, ... that all fall in the partition of k0. */
    private static KeyValueStateMachine storeWithKeysInOnePartition(int count) {
        KeyValueStateMachine source = new KeyValueStateMachine();
        int partition = source.partitionOf("k0");
        for (int i = 0, found = 0; found < count; i++) {
            if (source.partitionOf("k" + i) == partition) {
                source.execute(KvOps.put("k" + i, "value " + i));
                found++;
            }
        }
        return source;
    }

    private byte[][] partitionDigests() {
        byte[][] digests = new byte[store.partitionCount()][];
        for (int p = 0; p < digests.length; p++) {
            digests[p] = store.partitionDigest(p);
        }
        return digests;
    }
}
