package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.Effects;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.driver.state.StateTransfer;
import io.pbft.driver.state.StateTransferLimits;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.storage.LogOptions;
import io.pbft.storage.SimulatedDisk;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When {@link ReplicaStore} snapshots: at a multiple of {@code snapshotEvery}, once that checkpoint
 * is stable, and whenever the replica installs a state fetched from its peers.
 */
class ReplicaStoreTest {

    private static final ByteString DIGEST = ByteString.copyFromUtf8("checkpoint digest");

    private final SimulatedDisk disk = new SimulatedDisk(new Random(1));
    private final KeyValueStateMachine service = new KeyValueStateMachine();
    private final StateTransfer transfer =
            new StateTransfer(0, 4, service, new CheckpointDigests(), StateTransferLimits.defaults());

    /** The replica executed up to checkpoint {@code sequence}; its frozen state, as the carrier hands it over. */
    private ServedCheckpoint executedCheckpoint(long sequence, CheckpointTaken taken) {
        service.execute(KvOps.put("k", "v" + sequence));
        transfer.checkpointExecuted(sequence);
        transfer.onEffects(new Effects(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(taken), List.of(), Effects.NO_WAKEUP), 0, 0);
        return transfer.kept(sequence).orElseThrow();
    }

    private static CheckpointTaken taken(long sequence) {
        return new CheckpointTaken(sequence, DIGEST, ByteString.EMPTY);
    }

    private static List<DurableRecord> stable(long sequence) {
        return List.of(new DurableRecord.Stable(new StableCheckpoint(sequence, DIGEST, List.of())));
    }

    @Test
    void aCheckpointIsSnapshottedOnlyOnceItIsStable() throws IOException {
        ReplicaStore store = ReplicaStore.open(0, disk, LogOptions.defaults(), 8);

        store.checkpointKept(taken(8), executedCheckpoint(8, taken(8)));
        boolean snapshotBeforeStable = disk.list().contains("snapshot");
        store.persist(stable(8));

        assertThat(snapshotBeforeStable).isFalse();
        assertThat(disk.list()).contains("snapshot");
    }

    @Test
    void aCheckpointStableByTheTimeItExecutesIsSnapshottedAtOnce() throws IOException {
        ReplicaStore store = ReplicaStore.open(0, disk, LogOptions.defaults(), 8);
        store.persist(stable(8));

        store.checkpointKept(taken(8), executedCheckpoint(8, taken(8)));

        assertThat(disk.list()).contains("snapshot");
    }

    @Test
    void checkpointsBetweenTheMultiplesAreNotSnapshotted() throws IOException {
        ReplicaStore store = ReplicaStore.open(0, disk, LogOptions.defaults(), 8);
        store.persist(stable(4));

        store.checkpointKept(taken(4), executedCheckpoint(4, taken(4)));

        assertThat(disk.list()).doesNotContain("snapshot");
    }

    @Test
    void aStateInstalledFromPeersIsSnapshottedAtOnceWhateverItsSequenceNumber() throws IOException {
        ReplicaStore store = ReplicaStore.open(0, disk, LogOptions.defaults(), 8);
        service.execute(KvOps.put("k", "fetched"));

        store.stateInstalled(taken(12), transfer.frozen(12, ByteString.EMPTY));

        assertThat(disk.list()).contains("snapshot");
    }
}
