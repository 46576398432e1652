package io.pbft.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.statemachine.counter.CounterStateMachine;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.merkle.MerkleHash;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-partition default, over the counter: a service that knows nothing of partitions. */
class SinglePartitionStateMachineTest {

    private final CounterStateMachine counter = new CounterStateMachine();
    private final PartitionedStateMachine source = PartitionedStateMachine.of(counter);
    private final CounterStateMachine targetCounter = new CounterStateMachine();
    private final PartitionedStateMachine target = PartitionedStateMachine.of(targetCounter);

    @Test
    void aPartitionedServiceIsItsOwnPartitionedView() {
        KeyValueStateMachine store = new KeyValueStateMachine();

        assertThat(PartitionedStateMachine.of(store)).isSameAs(store);
    }

    @Test
    void onePartitionWhoseDigestIsTheServiceDigestUnderAOneLeafRoot() {
        source.execute(CounterStateMachine.increment(42));

        assertThat(source.partitionCount()).isOne();
        assertThat(source.partitionDigest(0)).isEqualTo(counter.stateDigest());
        assertThat(source.stateDigest()).isEqualTo(MerkleHash.leaf(counter.stateDigest()))
                .isEqualTo(source.merkleTree().root());
    }

    @Test
    void digestFollowsExecuteAndRestoreThroughTheWrapper() {
        byte[] initial = source.stateDigest();
        source.execute(CounterStateMachine.increment(1));
        byte[] afterIncrement = source.stateDigest();
        source.restore(new CounterStateMachine().snapshot());

        assertThat(afterIncrement).isNotEqualTo(initial);
        assertThat(source.stateDigest()).isEqualTo(initial);
    }

    @Test
    void partitionCopiedInSmallChunksGivesEqualStateAndDigest() {
        source.execute(CounterStateMachine.increment(-77));
        List<byte[]> chunks = PartitionTransfer.readAll(source, 0, 3);

        PartitionTransfer.install(target, 0, chunks, source.partitionDigest(0));

        assertThat(chunks).hasSize(3).allSatisfy(chunk -> assertThat(chunk.length).isLessThanOrEqualTo(3));
        assertThat(target.stateDigest()).isEqualTo(source.stateDigest());
        assertThat(CounterStateMachine.valueOf(targetCounter.execute(CounterStateMachine.read()))).hasValue(-77);
    }

    @Test
    void tamperedOrTruncatedContentIsRejectedAndTheTargetKeepsItsState() {
        source.execute(CounterStateMachine.increment(5));
        target.execute(CounterStateMachine.increment(9));
        byte[] targetDigest = target.stateDigest();
        List<byte[]> tampered = new ArrayList<>(PartitionTransfer.readAll(source, 0, 4));
        tampered.get(1)[3] ^= 1;
        List<byte[]> truncated = PartitionTransfer.readAll(source, 0, 4).subList(0, 1);

        for (List<byte[]> chunks : List.of(tampered, truncated)) {
            assertThatThrownBy(() -> PartitionTransfer.install(target, 0, chunks, source.partitionDigest(0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(target.stateDigest()).isEqualTo(targetDigest);
            assertThat(CounterStateMachine.valueOf(targetCounter.execute(CounterStateMachine.read()))).hasValue(9);
        }
    }

    @Test
    void readingAfterAnExecuteSeesTheNewState() {
        PartitionChunk before = source.readPartition(0, new byte[0], 64);
        source.execute(CounterStateMachine.increment(3));

        assertThat(source.readPartition(0, new byte[0], 64).content()).isEqualTo(counter.snapshot())
                .isNotEqualTo(before.content());
    }

    @Test
    void aCheckpointKeepsTheSnapshotAndDigestOfTheCallWhileTheServiceMovesOn() {
        source.execute(CounterStateMachine.increment(5));
        byte[] digest = source.stateDigest();
        byte[] serviceDigest = counter.stateDigest();
        byte[] snapshot = counter.snapshot();

        StateCheckpoint checkpoint = source.checkpoint();
        source.execute(CounterStateMachine.increment(7));

        assertThat(checkpoint.partitionCount()).isOne();
        assertThat(checkpoint.root()).isEqualTo(digest).isEqualTo(checkpoint.merkleTree().root())
                .isNotEqualTo(source.stateDigest());
        assertThat(checkpoint.partitionDigest(0)).isEqualTo(serviceDigest);
        assertThat(concat(PartitionTransfer.readAll(checkpoint, 0, 3))).isEqualTo(snapshot);
    }

    @Test
    void aTargetCopiedFromACheckpointReachesItsRootWhileTheSourceExecutesBetweenChunks() {
        source.execute(CounterStateMachine.increment(-77));
        StateCheckpoint checkpoint = source.checkpoint();
        Runnable sourceExecutesOn = () -> source.execute(CounterStateMachine.increment(1));

        List<Integer> copied = PartitionTransfer.catchUp(checkpoint, target, 3, sourceExecutesOn);

        assertThat(copied).containsExactly(0);
        assertThat(target.stateDigest()).isEqualTo(checkpoint.root()).isNotEqualTo(source.stateDigest());
        assertThat(valueOf(targetCounter)).isEqualTo(-77);
        assertThat(valueOf(counter)).isNotEqualTo(-77);
    }

    @Test
    void severalCheckpointsStayConsistentAndClosingOneLeavesTheOthersAndTheService() {
        List<StateCheckpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            source.execute(CounterStateMachine.increment(10));
            checkpoints.add(source.checkpoint());
        }
        source.execute(CounterStateMachine.increment(10));
        StateCheckpoint closed = checkpoints.get(1);

        closed.close();

        assertThatIllegalStateException().isThrownBy(closed::root);
        assertThatIllegalStateException().isThrownBy(() -> closed.readPartition(0, new byte[0], 4));
        for (int i : new int[] {0, 2}) {
            PartitionedStateMachine fresh = PartitionedStateMachine.of(new CounterStateMachine());
            PartitionTransfer.catchUp(checkpoints.get(i), fresh, 2, () -> {});
            assertThat(fresh.stateDigest()).as("checkpoint %d", i).isEqualTo(checkpoints.get(i).root());
            assertThat(CounterStateMachine.valueOf(fresh.query(CounterStateMachine.read())))
                    .as("checkpoint %d", i).hasValue(10L * (i + 1));
        }
        assertThat(valueOf(counter)).isEqualTo(40);
    }

    @Test
    void aCheckpointRejectsBadCursorsPartitionsAndSizes() {
        source.execute(CounterStateMachine.increment(3));
        StateCheckpoint checkpoint = source.checkpoint();

        byte[] pastTheEnd = {0, 0, 0, 99};
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(0, pastTheEnd, 4));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(0, null, 4));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(1, new byte[0], 4));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.readPartition(0, new byte[0], 0));
        assertThatIllegalArgumentException().isThrownBy(() -> checkpoint.partitionDigest(1));
    }

    @Test
    void badCursorsPartitionsAndSizesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> source.readPartition(0, new byte[] {0, 0, 0, 99}, 4));
        assertThatIllegalArgumentException().isThrownBy(() -> source.readPartition(0, new byte[] {1}, 4));
        assertThatIllegalArgumentException().isThrownBy(() -> source.readPartition(1, new byte[0], 4));
        assertThatIllegalArgumentException().isThrownBy(() -> source.readPartition(0, new byte[0], 0));
        assertThatIllegalArgumentException().isThrownBy(() -> source.installPartition(-1));
    }

    @Test
    void aCommittedInstallTakesNothingMore() {
        PartitionInstall install = target.installPartition(0);
        install.append(source.snapshot());
        install.commit(source.partitionDigest(0));

        assertThatThrownBy(() -> install.append(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> install.commit(source.partitionDigest(0))).isInstanceOf(IllegalStateException.class);
    }

    private static long valueOf(CounterStateMachine counter) {
        return CounterStateMachine.valueOf(counter.query(CounterStateMachine.read())).orElseThrow();
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
