package io.pbft.statemachine.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.PartitionInstall;
import io.pbft.statemachine.PartitionReader;
import io.pbft.statemachine.PartitionTransfer;
import io.pbft.statemachine.ReadsWhileExecuting;
import io.pbft.statemachine.StateCheckpoint;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB key-value store: checkpoints, installs, restores, reopening, closing, and failures. */
class RocksKeyValueStateMachineTest {

    private static final int PARTITIONS = 16;
    private static final int KEYS = 500;
    private static final int MAX_WRITES_WHILE_READING = 1_000_000;

    @TempDir
    Path directory;

    private final KeyValueStateMachine memory = new KeyValueStateMachine(PARTITIONS);
    private RocksKeyValueStateMachine store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aCheckpointStillReadsTheStateOfItsTimeAfterLaterWritesDeletesAndInstalls() {
        store = open();
        fill("v");
        byte[] digest = store.stateDigest();
        List<String> chunksThen = chunksOfEveryPartition(store);

        StateCheckpoint checkpoint = store.checkpoint();
        fill("changed");
        store.execute(KvOps.delete("k1"));
        store.execute(KvOps.put("new key", "new value"));
        PartitionTransfer.copy(new KeyValueStateMachine(PARTITIONS), store, 0, 64); // partition 0 emptied

        assertThat(store.stateDigest()).isNotEqualTo(digest);
        assertThat(checkpoint.root()).isEqualTo(digest).isEqualTo(checkpoint.merkleTree().root());
        assertThat(chunksOfEveryPartition(checkpoint)).containsExactlyElementsOf(chunksThen);
        checkpoint.close();
        assertThatIllegalStateException().isThrownBy(() -> checkpoint.readPartition(0, new byte[0], 64));
    }

    @Test
    void anotherThreadReadsACheckpointWhileTheStoreWritesEmptiesPartitionsAndTakesNewCheckpoints() throws Exception {
        store = open();
        fill("v");
        StateCheckpoint checkpoint = store.checkpoint();
        List<String> expected = chunksOfEveryPartition(checkpoint);
        KeyValueStateMachine empty = new KeyValueStateMachine(PARTITIONS);
        List<List<String>> reads = ReadsWhileExecuting.read(20, () -> chunksOfEveryPartition(checkpoint),
                MAX_WRITES_WHILE_READING, step -> {
                    String key = "k" + step % KEYS;
                    store.execute(step % 3 == 0 ? KvOps.delete(key) : KvOps.put(key, "w" + step));
                    if (step % 200 == 0) {
                        // An install deletes a whole key range under the reader's snapshot.
                        PartitionTransfer.copy(empty, store, step / 200 % PARTITIONS, 64);
                        store.checkpoint().close();
                    }
                });

        assertThat(reads).hasSize(20).allSatisfy(read -> assertThat(read).isEqualTo(expected));
    }

    @Test
    void partitionsFetchedFromTheInMemoryStoreInstallAndTheStoresThenAgree() {
        store = open();
        store.execute(KvOps.put("only here", "x"));
        fillMemory("v");
        StateCheckpoint source = memory.checkpoint();

        List<Integer> copied = PartitionTransfer.catchUp(source, store, 40, () -> memory.execute(KvOps.put("k2", "moved on")));

        assertThat(copied).isNotEmpty();
        assertThat(store.stateDigest()).isEqualTo(source.root());
        assertThat(KvResult.decode(store.query(KvOps.get("only here"))).asValue().value()).as("gone with its partition").isEmpty();
        memory.execute(KvOps.put("k2", "v2")); // back to the checkpoint's state
        assertThat(store.snapshot()).isEqualTo(memory.snapshot());
    }

    @Test
    void anInstallWhoseContentDoesNotMatchTheDigestIsRejectedAndChangesNothingEvenAfterReopening() {
        store = open();
        fill("v");
        fillMemory("other");
        int partition = store.partitionOf("k1");
        byte[] digest = store.stateDigest();
        byte[] snapshot = store.snapshot();
        PartitionInstall install = store.installPartition(partition);
        PartitionTransfer.readAll(memory, partition, 64).forEach(install::append);

        assertThatIllegalArgumentException().isThrownBy(() -> install.commit(store.partitionDigest(partition)));
        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(store.snapshot()).isEqualTo(snapshot);
        store.close();
        store = open();
        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(store.snapshot()).isEqualTo(snapshot);
    }

    @Test
    void aChunkOfAnotherPartitionIsRefusedOnAppend() {
        store = open();
        fillMemory("v");
        int partition = memory.partitionOf("k1");
        int other = (partition + 1) % PARTITIONS;
        PartitionInstall install = store.installPartition(partition);

        assertThatIllegalArgumentException().isThrownBy(() -> install.append(PartitionTransfer.readAll(memory, other, 1 << 20).get(0)));
    }

    @Test
    void aReopenedStoreHoldsTheEntriesDigestsAndCountOfWhenItWasClosed() {
        store = open();
        fill("v");
        store.execute(KvOps.delete("k7"));
        store.execute(KvOps.transaction(Transaction.builder().put("tx", "1").delete("k8").build()));
        store.flush();
        byte[] digest = store.stateDigest();
        byte[] snapshot = store.snapshot();
        List<String> chunks = chunksOfEveryPartition(store);

        store.close();
        store = open();

        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(store.snapshot()).isEqualTo(snapshot);
        assertThat(chunksOfEveryPartition(store)).containsExactlyElementsOf(chunks);
        assertThat(store.size()).isEqualTo(KEYS - 1);
        assertThat(KvResult.decode(store.query(KvOps.get("tx"))).asValue().value()).contains("1");
    }

    @Test
    void aMalformedSnapshotIsRejectedAndLeavesTheStateUnchanged() {
        store = open();
        fill("v");
        byte[] digest = store.stateDigest();
        byte[] snapshot = store.snapshot();
        byte[] withTrailingByte = Arrays.copyOf(snapshot, snapshot.length + 1);
        byte[] truncated = Arrays.copyOf(snapshot, snapshot.length - 1);
        byte[] notASnapshot = {'n', 'o', 'p', 'e'};

        for (byte[] malformed : List.of(withTrailingByte, truncated, notASnapshot, new byte[0])) {
            assertThatIllegalArgumentException().isThrownBy(() -> store.restore(malformed));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> store.restore(null));
        assertThat(store.stateDigest()).isEqualTo(digest);
        assertThat(store.snapshot()).isEqualTo(snapshot);
    }

    @Test
    void keysFollowStringOrderWhereItDiffersFromUtf8Order() {
        store = RocksKeyValueStateMachine.open(directory, 1);
        KeyValueStateMachine onePartition = new KeyValueStateMachine(1);
        // A supplementary character sorts before U+FFFD in UTF-16 but after it in UTF-8.
        for (String key : List.of("\uFFFD", "\uD83D\uDE00", "a")) {
            store.execute(KvOps.put(key, key));
            onePartition.execute(KvOps.put(key, key));
        }

        assertThat(PartitionTransfer.readAll(store, 0, 1)).containsExactlyElementsOf(PartitionTransfer.readAll(onePartition, 0, 1));
        assertThat(store.snapshot()).isEqualTo(onePartition.snapshot());
        assertThat(store.stateDigest()).isEqualTo(onePartition.stateDigest());
    }

    @Test
    void closingTheStoreClosesItsCheckpointsAndRefusesFurtherUseAndClosingAgainDoesNothing() {
        store = open();
        fill("v");
        StateCheckpoint checkpoint = store.checkpoint();

        store.close();
        store.close();

        assertThatIllegalStateException().isThrownBy(() -> checkpoint.readPartition(0, new byte[0], 64));
        assertThatIllegalStateException().isThrownBy(checkpoint::root);
        assertThatIllegalStateException().isThrownBy(() -> store.execute(KvOps.get("k1")));
        assertThatIllegalStateException().isThrownBy(store::stateDigest);
        checkpoint.close();
    }

    @Test
    void anInvalidPartitionCountIsRefusedBeforeAnythingIsCreated() {
        Path never = directory.resolve("never");

        assertThatIllegalArgumentException().isThrownBy(() -> RocksKeyValueStateMachine.open(never, 3));
        assertThat(never).doesNotExist();
    }

    @Test
    void aStoreOpenedWithAnotherPartitionCountIsRefusedAndStillOpensWithItsOwn() {
        store = open();
        fill("v");
        byte[] digest = store.stateDigest();
        store.close();

        assertThatIllegalArgumentException().isThrownBy(() -> RocksKeyValueStateMachine.open(directory, PARTITIONS * 2))
                .withMessageContaining(directory.toString()).withMessageContaining(PARTITIONS + " partitions");
        store = open();
        assertThat(store.stateDigest()).isEqualTo(digest);
    }

    @Test
    void aRocksDbFailureIsUncheckedAndNamesTheDirectory() {
        store = open();

        assertThatThrownBy(this::open).isInstanceOf(UncheckedIOException.class) // RocksDB locks its directory
                .hasMessageContaining(directory.toString());
    }

    @Test
    void openCreatesMissingDirectoriesAndAnEmptyStoreWithTheDefaultPartitionCount() {
        Path nested = directory.resolve("a").resolve("b");
        store = RocksKeyValueStateMachine.open(nested);

        assertThat(Files.isDirectory(nested)).isTrue();
        assertThat(store.partitionCount()).isEqualTo(KeyValueStateMachine.DEFAULT_PARTITION_COUNT);
        assertThat(store.stateDigest()).isEqualTo(new KeyValueStateMachine().stateDigest());
        assertThat(store.size()).isZero();
    }

    private RocksKeyValueStateMachine open() {
        return RocksKeyValueStateMachine.open(directory, PARTITIONS);
    }

    private void fill(String value) {
        for (int i = 0; i < KEYS; i++) {
            store.execute(KvOps.put("k" + i, value + i));
        }
    }

    private void fillMemory(String value) {
        for (int i = 0; i < KEYS; i++) {
            memory.execute(KvOps.put("k" + i, value + i));
        }
    }

    private static List<String> chunksOfEveryPartition(PartitionReader source) {
        return PartitionTransfer.everyChunkInHex(source, PARTITIONS, 64);
    }
}
