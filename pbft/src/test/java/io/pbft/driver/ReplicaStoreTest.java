package io.pbft.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pbft.core.CheckpointTaken;
import io.pbft.core.DurableRecord;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.NewView;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.core.message.ViewChange;
import io.pbft.driver.state.CheckpointDigests;
import io.pbft.driver.state.ServedCheckpoint;
import io.pbft.statemachine.PartitionChunk;
import io.pbft.statemachine.StateCheckpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.storage.CorruptLogException;
import io.pbft.storage.LogOptions;
import io.pbft.storage.SimulatedDisk;
import io.pbft.storage.WriteAheadLog;
import io.pbft.wire.proto.ReplicaEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A replica's disk: every kind of record comes back as it went in, signatures checked again; the
 * snapshot restores the service to the digest the replica signed; the log shrinks behind snapshots
 * and stable checkpoints; and damage that a crash cannot explain stops start-up with a message.
 */
class ReplicaStoreTest {

    private static final int N = 4;
    private static final CheckpointDigests DIGESTS = new CheckpointDigests();
    /** Segments of a few records, so that truncation has whole segments to drop. */
    private static final LogOptions OPTIONS = LogOptions.defaults().withSegmentBytes(2_048);

    private final Envelopes[] envelopes = new Envelopes[N];
    private final SimulatedDisk disk = new SimulatedDisk(new Random(7));

    ReplicaStoreTest() {
        ReplicaKeys[] keys = TestReplicaKeys.generate(N);
        for (int id = 0; id < N; id++) {
            envelopes[id] = new Envelopes(id, N, keys[id]);
        }
    }

    private ReplicaStore open() throws IOException {
        return ReplicaStore.open(1, disk, OPTIONS, 64);
    }

    private ReplicaStore.Recovered recover(ReplicaStore store, KeyValueStateMachine service) throws IOException {
        return store.recover(service, DIGESTS, () -> envelopes[1].opener(Integer.MAX_VALUE));
    }

    private static Request request(long client, long timestamp) {
        return Request.of(client, timestamp, ByteString.copyFrom("op-" + client + "-" + timestamp, StandardCharsets.UTF_8));
    }

    private Signed<PrePrepare> prePrepare(long view, long sequence, List<Request> batch) {
        int primary = (int) (view % N);
        return envelopes[primary].sign(new PrePrepare(view, sequence, PrePrepare.digestOf(batch), primary));
    }

    private PreparedCertificate certificate(Signed<PrePrepare> prePrepare) {
        PrePrepare message = prePrepare.message();
        List<Signed<Prepare>> prepares = new ArrayList<>();
        for (int backup = 1; backup <= 2; backup++) {
            prepares.add(envelopes[backup].sign(
                    new Prepare(message.view(), message.sequence(), message.batchDigest(), backup)));
        }
        return new PreparedCertificate(prePrepare, prepares);
    }

    private StableCheckpoint stable(long sequence) {
        ByteString digest = ByteString.copyFrom(new byte[32]);
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int signer = 0; signer < 3; signer++) {
            proof.add(envelopes[signer].sign(new Checkpoint(sequence, digest, signer)));
        }
        return new StableCheckpoint(sequence, digest, proof);
    }

    /** One record of every kind, as a replica in view 1 would have handed them out. */
    private List<DurableRecord> everyKind() {
        List<Request> batch = List.of(request(7, 1), request(8, 1));
        Signed<PrePrepare> inViewZero = prePrepare(0, 1, batch);
        Signed<ViewChange> ownVote = envelopes[1].sign(
                new ViewChange(1, StableCheckpoint.INITIAL, List.of(certificate(inViewZero)), 1));
        Signed<ViewChange> otherVote = envelopes[2].sign(new ViewChange(1, StableCheckpoint.INITIAL, List.of(), 2));
        Signed<PrePrepare> reissued = envelopes[1].sign(new PrePrepare(1, 1, inViewZero.message().batchDigest(), 1));
        Signed<NewView> newView = envelopes[1].sign(new NewView(1, List.of(ownVote, otherVote), List.of(reissued), 1));
        return List.of(
                new DurableRecord.PrePrepared(inViewZero, batch),
                new DurableRecord.Prepared(certificate(inViewZero)),
                new DurableRecord.Committed(1, inViewZero.message().batchDigest(), batch),
                new DurableRecord.ViewChangeSent(ownVote, 0),
                new DurableRecord.NewViewEntered(newView, 0),
                new DurableRecord.PrePrepared(reissued, null), // carried over without its batch
                new DurableRecord.Stable(stable(4)));
    }

    @Test
    void everyKindOfRecordComesBackAsItWentIn() throws IOException {
        List<DurableRecord> records = everyKind();
        try (ReplicaStore store = open()) {
            recover(store, new KeyValueStateMachine());
            store.persist(records);
        }

        try (ReplicaStore reopened = open()) {
            ReplicaStore.Recovered recovered = recover(reopened, new KeyValueStateMachine());

            assertThat(recovered.records()).containsExactlyElementsOf(records);
            assertThat(recovered.sequence()).isZero();
        }
    }

    @Test
    void aRecordWhoseSignatureNoLongerChecksStopsStartUp() throws IOException {
        Signed<PrePrepare> genuine = prePrepare(0, 1, List.of(request(7, 1)));
        ReplicaEnvelope envelope = ReplicaEnvelope.parseFrom(genuine.envelope());
        byte[] signature = envelope.getSignature().toByteArray();
        signature[0] ^= 1;
        Signed<PrePrepare> tampered = new Signed<>(genuine.message(),
                Envelopes.envelope(envelope.getSender(), envelope.getPayload(), signature));
        try (ReplicaStore store = open()) {
            recover(store, new KeyValueStateMachine());
            store.persist(List.of(new DurableRecord.PrePrepared(tampered, null)));
        }
        try (ReplicaStore reopened = open()) {
            assertThatThrownBy(() -> recover(reopened, new KeyValueStateMachine()))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("log record 1");
        }
    }

    @Test
    void bytesThatAreNoRecordStopStartUpNamingTheRecord() throws IOException {
        try (ReplicaStore store = open()) {
            recover(store, new KeyValueStateMachine());
        }
        try (WriteAheadLog log = WriteAheadLog.open(disk, OPTIONS)) {
            log.append(1, (byte) 1, "not a record".getBytes(StandardCharsets.UTF_8));
            log.sync();
        }
        try (ReplicaStore store = open()) {
            assertThatThrownBy(() -> recover(store, new KeyValueStateMachine()))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("log record 1");
        }
    }

    @Test
    void theSnapshotRestoresTheStateTheReplicaSignedForAndTheLogShrinksBehindIt() throws IOException {
        KeyValueStateMachine service = new KeyValueStateMachine();
        for (int i = 0; i < 200; i++) {
            service.execute(KvOps.put("key-" + i, "value-" + i));
        }
        ByteString clientTable = ByteString.copyFromUtf8("the client table as of 128");
        ByteString checkpointDigest = DIGESTS.checkpointDigest(ByteString.copyFrom(service.stateDigest()),
                DIGESTS.clientTableDigest(clientTable));
        int segmentsBefore;
        try (ReplicaStore store = open()) {
            recover(store, new KeyValueStateMachine());
            for (long sequence = 1; sequence <= 128; sequence++) {
                List<Request> batch = List.of(request(sequence, 1));
                store.persist(List.of(new DurableRecord.PrePrepared(prePrepare(0, sequence, batch), batch)));
            }
            segmentsBefore = store.segmentCount();
            store.persist(List.of(new DurableRecord.Stable(stable(128))));
            try (StateCheckpoint frozen = service.checkpoint()) {
                store.checkpointKept(new CheckpointTaken(128, checkpointDigest, clientTable), served(128, frozen,
                        clientTable));
            }
            assertThat(store.segmentCount()).isLessThan(segmentsBefore);
        }

        KeyValueStateMachine restarted = new KeyValueStateMachine();
        try (ReplicaStore reopened = open()) {
            ReplicaStore.Recovered recovered = recover(reopened, restarted);

            assertThat(recovered.sequence()).isEqualTo(128);
            assertThat(recovered.checkpointDigest()).isEqualTo(checkpointDigest);
            assertThat(recovered.clientTable()).isEqualTo(clientTable);
            assertThat(restarted.stateDigest()).isEqualTo(service.stateDigest());
            assertThat(restarted.query(KvOps.get("key-17"))).isEqualTo(service.query(KvOps.get("key-17")));
        }
    }

    @Test
    void aSnapshotOfAnotherStateStopsStartUp() throws IOException {
        KeyValueStateMachine service = new KeyValueStateMachine();
        service.execute(KvOps.put("key", "value"));
        ByteString clientTable = ByteString.EMPTY;
        ByteString wrongDigest = ByteString.copyFrom(new byte[32]); // not what this state and table digest to
        try (ReplicaStore store = open(); StateCheckpoint frozen = service.checkpoint()) {
            store.persist(List.of(new DurableRecord.Stable(stable(64))));
            store.checkpointKept(new CheckpointTaken(64, wrongDigest, clientTable), served(64, frozen, clientTable));
        }
        try (ReplicaStore reopened = open()) {
            assertThatThrownBy(() -> recover(reopened, new KeyValueStateMachine()))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("checkpoint 64");
        }
    }

    @Test
    void aFirstStartSnapshotsTheServiceAsItIsSoThatARestartBeforeTheFirstSnapshotResetsIt() throws IOException {
        KeyValueStateMachine onDisk = new KeyValueStateMachine(); // stands for a service that keeps its state
        try (ReplicaStore store = open()) {
            assertThat(recover(store, onDisk).isEmpty()).isTrue();
        }
        byte[] initial = onDisk.stateDigest();
        onDisk.execute(KvOps.put("written", "then the replica crashed")); // before any snapshot

        try (ReplicaStore reopened = open()) {
            recover(reopened, onDisk);
        }

        assertThat(onDisk.stateDigest()).isEqualTo(initial);
    }

    @Test
    void recordsWithoutASnapshotStopStartUp() throws IOException {
        try (ReplicaStore store = open()) {
            store.persist(List.of(new DurableRecord.Stable(stable(4))));
        }
        try (ReplicaStore reopened = open()) {
            assertThatThrownBy(() -> recover(reopened, new KeyValueStateMachine()))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("no snapshot");
        }
    }

    @Test
    void aStateInstalledFromPeersIsSnapshottedWhateverItsSequenceNumber() throws IOException {
        KeyValueStateMachine service = new KeyValueStateMachine();
        service.execute(KvOps.put("fetched", "from peers"));
        ByteString clientTable = ByteString.EMPTY;
        ByteString checkpointDigest = DIGESTS.checkpointDigest(ByteString.copyFrom(service.stateDigest()),
                DIGESTS.clientTableDigest(clientTable));
        try (ReplicaStore store = open(); StateCheckpoint frozen = service.checkpoint()) {
            recover(store, new KeyValueStateMachine());
            store.stateInstalled(new CheckpointTaken(12, checkpointDigest, clientTable), served(12, frozen,
                    clientTable)); // 12 is no multiple of the snapshot interval
        }
        KeyValueStateMachine restarted = new KeyValueStateMachine();
        try (ReplicaStore reopened = open()) {
            assertThat(recover(reopened, restarted).sequence()).isEqualTo(12);
        }
        assertThat(restarted.stateDigest()).isEqualTo(service.stateDigest());
    }

    @Test
    void aCheckpointIsSnapshottedOnlyOnceItIsStable() throws IOException {
        KeyValueStateMachine service = new KeyValueStateMachine();
        service.execute(KvOps.put("key", "value"));
        ByteString clientTable = ByteString.EMPTY;
        ByteString checkpointDigest = DIGESTS.checkpointDigest(ByteString.copyFrom(service.stateDigest()),
                DIGESTS.clientTableDigest(clientTable));
        try (ReplicaStore store = open(); StateCheckpoint frozen = service.checkpoint()) {
            recover(store, new KeyValueStateMachine());
            store.checkpointKept(new CheckpointTaken(64, checkpointDigest, clientTable), served(64, frozen, clientTable));
            try (ReplicaStore meanwhile = open()) {
                assertThat(recover(meanwhile, new KeyValueStateMachine()).sequence()).as("not stable yet").isZero();
            }
            store.persist(List.of(new DurableRecord.Stable(stable(64))));
        }
        try (ReplicaStore reopened = open()) {
            assertThat(recover(reopened, new KeyValueStateMachine()).sequence()).isEqualTo(64);
        }
    }

    @Test
    void onlyCheckpointsAtTheSnapshotIntervalAreSnapshotted() throws IOException {
        KeyValueStateMachine service = new KeyValueStateMachine();
        try (ReplicaStore store = open(); StateCheckpoint frozen = service.checkpoint()) {
            store.checkpointKept(new CheckpointTaken(32, ByteString.EMPTY, ByteString.EMPTY),
                    served(32, frozen, ByteString.EMPTY));
        }
        try (ReplicaStore reopened = open()) {
            assertThat(recover(reopened, new KeyValueStateMachine()).isEmpty()).isTrue();
        }
    }

    private static ServedCheckpoint served(long sequence, StateCheckpoint frozen, ByteString clientTable) {
        return new ServedCheckpoint() {
            @Override
            public long sequence() {
                return sequence;
            }

            @Override
            public io.pbft.statemachine.merkle.MerkleTree merkleTree() {
                return frozen.merkleTree();
            }

            @Override
            public ByteString clientTable() {
                return clientTable;
            }

            @Override
            public PartitionChunk readPartition(int partition, byte[] cursor, int maxBytes) {
                return frozen.readPartition(partition, cursor, maxBytes);
            }
        };
    }
}
