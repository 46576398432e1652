package io.pbft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.pbft.core.DurableRecord;
import io.pbft.core.message.Checkpoint;
import io.pbft.core.message.PrePrepare;
import io.pbft.core.message.Prepare;
import io.pbft.core.message.PreparedCertificate;
import io.pbft.core.message.Request;
import io.pbft.core.message.Signed;
import io.pbft.core.message.StableCheckpoint;
import io.pbft.driver.Envelopes;
import io.pbft.driver.ReplicaKeys;
import io.pbft.fuzz.Allocation;
import io.pbft.fuzz.Bursts;
import io.pbft.fuzz.FixedKeys;
import io.pbft.fuzz.FuzzRun;
import io.pbft.fuzz.Mutations;
import io.pbft.wire.DurableRecordCodec;
import io.pbft.wire.MalformedMessageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes where a restarting replica reads its own disk: write-ahead log segments, the
 * snapshot's frames and the durable records inside the log's frames. Opening the log, replaying
 * it, reading the snapshot and decoding each record gives data or a clear {@link IOException}
 * ({@link CorruptLogException}) or {@link MalformedMessageException}, never another exception, and
 * costs no more memory than the bytes on disk allow, whatever lengths their headers claim.
 *
 * <p>{@link #diskReads} replays its corpus under plain JUnit and fuzzes with {@code JAZZER_FUZZ=1}
 * (docs/fuzzing.md); the seeded test feeds it valid logs damaged in structured ways.
 */
class StorageFuzzTest {

    private static final int N = 4;
    private static final ReplicaKeys[] KEYS = FixedKeys.replicas(N);
    private static final LogOptions OPTIONS = LogFixtures.SMALL.withMaxRecordBytes(64 * 1024)
            .withMaxSnapshotBytes(64 * 1024);
    private static final ByteString DIGEST = ByteString.copyFrom(new byte[32]);
    private static final int MEASURED_READS = 3;

    /**
     * What a piece of the input becomes: its control byte modulo 3. For a segment, the control
     * byte divided by 3 is how many records it holds, so where the next segment starts.
     */
    private static final int SEGMENT = 0;
    private static final int SNAPSHOT = 1;
    private static final int RECORD = 2;

    @FuzzTest(maxDuration = "2m")
    void diskReads(byte[] input) throws IOException {
        // The first read loads (and under the fuzzer instruments) the classes its path needs, which
        // costs what it costs once whatever the disk holds: the budget applies to the reads after
        // it, the least of three. One-off costs still land on single reads now and then (a clean
        // clone's build once counted 22 MB for a 41 KB disk that reads within budget when replayed),
        // while what the reader allocates for what the disk claims shows in every read.
        Disk.of(input).read();
        long spent = Long.MAX_VALUE;
        for (int read = 0; read < MEASURED_READS; read++) {
            Disk disk = Disk.of(input);
            long before = Allocation.allocatedBytes();
            disk.read();
            spent = Math.min(spent, Allocation.allocatedBytes() - before);
        }
        assertThat(spent).as("bytes allocated reading %d bytes from disk", input.length)
                .isLessThanOrEqualTo(Allocation.budgetFor(input.length));
    }

    @Test
    void seededDamagedLogsAreReadOrRefusedClearly() {
        FuzzRun.run(getClass(), "seededDamagedLogsAreReadOrRefusedClearly", 600, StorageFuzzTest::damagedLog,
                this::diskReads);
    }

    /** A disk laid out as an input says, and the durable records it holds besides its log. */
    private record Disk(SimulatedDisk storage, List<byte[]> records) {

        static Disk of(byte[] input) throws IOException {
            Disk disk = new Disk(new SimulatedDisk(new Random(0)), new ArrayList<>());
            long firstIndex = 1;
            for (Bursts.Piece piece : Bursts.split(input)) {
                switch (piece.control() % 3) {
                    case SEGMENT -> {
                        LogFixtures.overwrite(disk.storage, Segment.nameOf(firstIndex), piece.bytes());
                        firstIndex += piece.control() / 3;
                    }
                    case SNAPSHOT -> LogFixtures.overwrite(disk.storage, SnapshotFile.NAME, piece.bytes());
                    default -> disk.records.add(piece.bytes());
                }
            }
            return disk;
        }

        /** Opens, replays and decodes; what it refuses, it refuses with the documented exceptions. */
        void read() {
            try (WriteAheadLog log = WriteAheadLog.open(storage, OPTIONS)) {
                log.replay(record -> records.add(record.payload()));
                log.readSnapshot(frame -> { });
            } catch (IOException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
            for (byte[] record : records) {
                try {
                    assertThat(DurableRecordCodec.decode(record, new Envelopes(0, N, KEYS[0]).opener(64))).isNotNull();
                } catch (MalformedMessageException refused) {
                    assertThat(refused.getMessage()).isNotBlank();
                }
            }
        }
    }

    /** A valid log of durable records and a valid snapshot, as input pieces, some of them damaged. */
    private static byte[] damagedLog(Random random) {
        SimulatedDisk disk = new SimulatedDisk(random);
        try (WriteAheadLog log = WriteAheadLog.open(disk, OPTIONS)) {
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                log.append(1 + i, (byte) 1, DurableRecordCodec.encode(record(random, 1 + i)));
            }
            log.sync();
            log.writeSnapshot(frames -> {
                for (int i = random.nextInt(4); i >= 0; i--) {
                    frames.accept(Mutations.randomBytes(random, random.nextInt(200)));
                }
            });
        } catch (IOException e) {
            throw new AssertionError("writing a valid log failed", e);
        }
        List<Bursts.Piece> pieces = new ArrayList<>();
        try {
            Map<String, byte[]> files = LogFixtures.files(disk);
            List<String> segments = LogFixtures.segments(disk);
            for (int i = 0; i < segments.size(); i++) {
                long first = Segment.firstIndexOf(segments.get(i));
                long next = i + 1 < segments.size() ? Segment.firstIndexOf(segments.get(i + 1)) : first + 1;
                pieces.add(new Bursts.Piece(SEGMENT + 3 * (int) Math.min(85, next - first),
                        damaged(random, files.get(segments.get(i)))));
            }
            pieces.add(new Bursts.Piece(SNAPSHOT, damaged(random, files.get(SnapshotFile.NAME))));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        pieces.add(new Bursts.Piece(RECORD, Mutations.mutate(random, DurableRecordCodec.encode(record(random, 7)))));
        return Bursts.join(pieces);
    }

    /** Most files damaged, some left whole. */
    private static byte[] damaged(Random random, byte[] bytes) {
        return random.nextInt(3) == 0 ? bytes : Mutations.mutate(random, bytes);
    }

    /** A durable record of each kind the core writes, signed by the fixed keys, with numbers a little off. */
    private static DurableRecord record(Random random, long sequence) {
        Envelopes[] signers = new Envelopes[N];
        for (int id = 0; id < N; id++) {
            signers[id] = new Envelopes(id, N, KEYS[id]);
        }
        List<Request> batch = List.of(Request.of(random.nextInt(3), 1 + random.nextInt(9),
                ByteString.copyFrom(Mutations.randomBytes(random, random.nextInt(40)))));
        Signed<PrePrepare> prePrepare = signers[0].sign(new PrePrepare(random.nextInt(2), sequence,
                PrePrepare.digestOf(batch), 0));
        return switch (random.nextInt(4)) {
            case 0 -> new DurableRecord.PrePrepared(prePrepare, random.nextBoolean() ? batch : null);
            case 1 -> new DurableRecord.Prepared(new PreparedCertificate(prePrepare, List.of(
                    signers[1].sign(new Prepare(0, sequence, prePrepare.message().batchDigest(), 1)),
                    signers[2].sign(new Prepare(0, sequence + random.nextInt(2), DIGEST, 2)))));
            case 2 -> new DurableRecord.Stable(new StableCheckpoint(sequence, DIGEST, List.of(
                    signers[1].sign(new Checkpoint(sequence, DIGEST, 1)),
                    signers[2].sign(new Checkpoint(sequence, DIGEST, 2)),
                    signers[3].sign(new Checkpoint(sequence, DIGEST, 3)))));
            default -> new DurableRecord.Committed(sequence, PrePrepare.digestOf(batch), batch);
        };
    }
}
