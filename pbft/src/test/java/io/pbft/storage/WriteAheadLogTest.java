package io.pbft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log on real files: its layout, truncation, recovery's answers to damage, its limits. */
class WriteAheadLogTest {

    /** 50-byte payloads make 75-byte frames: two per 100-byte segment. */
    private static final LogOptions TWO_PER_SEGMENT = LogOptions.defaults().withSegmentBytes(100)
            .withMaxRecordBytes(1024);
    private static final byte TYPE = 3;
    private static final String FIRST_SEGMENT = "00000000000000000001.wal";

    @TempDir
    Path directory;

    @Test
    void recordsReplayAfterReopenWithTheirIndexSequenceTypeAndPayload() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory.resolve("new/log"));
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            assertThat(log.append(7, (byte) 1, new byte[0])).isEqualTo(1);
            assertThat(log.append(7, (byte) -2, new byte[] {9, 8})).isEqualTo(2);
            log.sync();
        }
        assertThat(LogFixtures.reopenAndReplay(storage, LogOptions.defaults())).containsExactly(
                new LogRecord(1, 7, (byte) 1, new byte[0]), new LogRecord(2, 7, (byte) -2, new byte[] {9, 8}));
    }

    @Test
    void replayIncludesRecordsAppendedButNotYetSynced() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(NioLogStorage.open(directory), LogOptions.defaults())) {
            log.append(1, TYPE, new byte[] {1});
            assertThat(LogFixtures.replay(log)).containsExactly(new LogRecord(1, 1, TYPE, new byte[] {1}));
        }
    }

    @Test
    void segmentsRollAtTheSizeLimitAndAreNamedByTheirFirstIndex() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, TWO_PER_SEGMENT)) {
            appendFifties(log, 1, 2, 3, 4, 5);
            assertThat(log.segmentCount()).isEqualTo(3);
        }
        assertThat(storage.list()).containsExactly(
                FIRST_SEGMENT, "00000000000000000003.wal", "00000000000000000005.wal");
    }

    @Test
    void truncateBeforeDeletesOnlyLeadingSegmentsWhollyBelowTheSequence() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, TWO_PER_SEGMENT)) {
            // Segments by first index: 1 {1, 2}, 3 {3, 9}, 5 {4, 5}, 7 {6} (being appended to).
            appendFifties(log, 1, 2, 3, 9, 4, 5, 6);

            assertThat(log.truncateBefore(6)).as("segment 5 waits behind segment 3").isEqualTo(1);
            assertThat(LogFixtures.segments(storage)).containsExactly(
                    "00000000000000000003.wal", "00000000000000000005.wal", "00000000000000000007.wal");

            assertThat(log.truncateBefore(100)).as("the last segment stays").isEqualTo(2);
            assertThat(log.firstIndex()).isEqualTo(7);
        }
        assertThat(storage.list()).containsExactly("00000000000000000007.wal");
        assertThat(LogFixtures.reopenAndReplay(storage, TWO_PER_SEGMENT)).extracting(LogRecord::index)
                .containsExactly(7L);
    }

    @Test
    void snapshotRoundTripsAndTheLatestReplacesTheOne() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            assertThat(log.readSnapshot()).isEmpty();
            log.writeSnapshot(new byte[] {1, 2, 3});
            log.writeSnapshot(new byte[] {4, 5});
            assertThat(log.readSnapshot()).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(4, 5));
        }
        assertThat(storage.list()).containsExactly(FIRST_SEGMENT, "snapshot");
    }

    @Test
    void aSnapshotWrittenInFramesComesBackFrameByFrame() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            log.writeSnapshot(frames -> {
                frames.accept(new byte[] {1, 2});
                frames.accept(new byte[0]);
                frames.accept(new byte[] {3});
            });
            List<byte[]> read = new ArrayList<>();

            assertThat(log.readSnapshot(read::add)).isTrue();

            assertThat(read).containsExactly(new byte[] {1, 2}, new byte[0], new byte[] {3});
        }
    }

    @Test
    void aSnapshotLeftHalfWrittenIsIgnoredAndReplaced() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        LogFixtures.overwrite(storage, SnapshotFile.TEMPORARY, new byte[] {1, 2});
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            assertThat(log.readSnapshot()).isEmpty();
            log.writeSnapshot(new byte[] {7});
            assertThat(log.readSnapshot()).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(7));
        }
        assertThat(storage.list()).doesNotContain(SnapshotFile.TEMPORARY);
    }

    @Test
    void aDamagedSnapshotIsRefusedNamingTheFile() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            log.writeSnapshot(new byte[] {1, 2, 3, 4});
            byte[] good = LogFixtures.contents(storage, SnapshotFile.NAME);
            String file = storage.describe(SnapshotFile.NAME);

            LogFixtures.overwrite(storage, SnapshotFile.NAME, LogFixtures.flipBit(good, 8 * 9 + 1));
            assertRefused(log, file, "checksum mismatch");
            LogFixtures.overwrite(storage, SnapshotFile.NAME, new byte[] {0, 0, 0});
            assertRefused(log, file, "only 3 bytes");
            byte[] hugeLength = good.clone();
            ByteBuffer.wrap(hugeLength).putInt(0, Integer.MAX_VALUE);
            LogFixtures.overwrite(storage, SnapshotFile.NAME, hugeLength);
            assertRefused(log, file, "length " + Integer.MAX_VALUE);
        }
    }

    /** The second of three records gets a length it cannot have; the third is still whole. */
    @Test
    void anImpossibleLengthInTheMiddleIsRefusedWithoutAllocatingIt() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            appendFifties(log, 1, 2, 3);
        }
        byte[] good = LogFixtures.contents(storage, FIRST_SEGMENT);
        assertLengthRefused(storage, good, Integer.MAX_VALUE, "impossible length 2147483647 (at most 16777216)");
        assertLengthRefused(storage, good, -1, "impossible length -1 (at most 16777216)");
        assertLengthRefused(storage, good, 10 << 20, "only 125 bytes of a 10485760-byte payload");
    }

    @Test
    void aTornLastRecordIsCutAndLoggedOnceAtWarnWithTheFileAndOffset() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            appendFifties(log, 1, 2);
        }
        byte[] whole = LogFixtures.contents(storage, FIRST_SEGMENT);
        LogFixtures.overwrite(storage, FIRST_SEGMENT, Arrays.copyOf(whole, 75 + 30));
        try (RecoveryWarnings warnings = new RecoveryWarnings()) {
            assertThat(LogFixtures.reopenAndReplay(storage, LogOptions.defaults())).extracting(LogRecord::index)
                    .containsExactly(1L);
            assertThat(warnings.drain()).containsExactly("Cut a torn write off the end of the log: "
                    + storage.describe(FIRST_SEGMENT)
                    + " at byte offset 75 (only 5 bytes of a 50-byte payload); 30 bytes dropped");
            assertThat(LogFixtures.reopenAndReplay(storage, LogOptions.defaults())).hasSize(1);
            assertThat(warnings.drain()).as("the cut is on disk: nothing to cut again").isEmpty();
        }
    }

    @Test
    void aMissingSegmentIsRefused() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, TWO_PER_SEGMENT)) {
            appendFifties(log, 1, 2, 3, 4, 5);
        }
        storage.delete("00000000000000000003.wal");
        assertThatThrownBy(() -> WriteAheadLog.open(storage, TWO_PER_SEGMENT))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(storage.describe("00000000000000000005.wal"));
                    assertThat(e.offset()).isZero();
                })
                .hasMessageContaining("starts at record 5 but the segment before it ends before record 3");
    }

    /** A whole frame that checksums cannot be a torn write: it is refused even at the very end. */
    @Test
    void aRecordUnderTheWrongIndexIsRefusedEvenAtTheEnd() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            appendFifties(log, 1);
        }
        storage.rename(FIRST_SEGMENT, "00000000000000000004.wal");
        assertThatThrownBy(() -> WriteAheadLog.open(storage, LogOptions.defaults()))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageEndingWith("at byte offset 0: record 1 where record 4 belongs");
    }

    @Test
    void otherFilesInTheDirectoryAreLeftAlone() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        LogFixtures.overwrite(storage, "README", new byte[] {1});
        LogFixtures.overwrite(storage, "99999999999999999999.wal", new byte[] {1});
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogOptions.defaults())) {
            appendFifties(log, 1);
        }
        assertThat(LogFixtures.reopenAndReplay(storage, LogOptions.defaults())).hasSize(1);
        assertThat(storage.list()).contains("README", "99999999999999999999.wal");
    }

    @Test
    void aRecordOverTheLimitIsRejectedAndTheLogStaysUsable() throws IOException {
        LogOptions options = LogOptions.defaults().withMaxRecordBytes(10);
        try (WriteAheadLog log = WriteAheadLog.open(NioLogStorage.open(directory), options)) {
            assertThatThrownBy(() -> log.append(1, TYPE, new byte[11]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a record of 11 bytes is over maxRecordBytes 10");
            assertThat(log.append(1, TYPE, new byte[10])).isEqualTo(1);
        }
    }

    @Test
    void recordsLargerThanTheWriteBufferGoStraightThrough() throws IOException {
        NioLogStorage storage = NioLogStorage.open(directory);
        LogOptions options = LogOptions.defaults().withWriteBufferBytes(32);
        byte[] large = new byte[300_000];
        new Random(1).nextBytes(large);
        try (WriteAheadLog log = WriteAheadLog.open(storage, options)) {
            log.append(1, TYPE, new byte[] {1});
            log.append(2, TYPE, large);
            log.append(3, TYPE, new byte[] {3});
        }
        assertThat(LogFixtures.reopenAndReplay(storage, options)).containsExactly(new LogRecord(1, 1, TYPE,
                new byte[] {1}), new LogRecord(2, 2, TYPE, large), new LogRecord(3, 3, TYPE, new byte[] {3}));
    }

    @Test
    void aClosedLogRefusesUse() throws IOException {
        WriteAheadLog log = WriteAheadLog.open(NioLogStorage.open(directory), LogOptions.defaults());
        log.close();
        assertThatThrownBy(() -> log.append(1, TYPE, new byte[0])).isInstanceOf(IOException.class)
                .hasMessage("the write-ahead log is closed");
    }

    private static void appendFifties(WriteAheadLog log, long... sequences) throws IOException {
        for (long sequence : sequences) {
            log.append(sequence, TYPE, new byte[50]);
        }
        log.sync();
    }

    private static void assertLengthRefused(LogStorage storage, byte[] good, int length, String problem)
            throws IOException {
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).putInt(75, length);
        LogFixtures.overwrite(storage, FIRST_SEGMENT, bad);
        assertThatThrownBy(() -> WriteAheadLog.open(storage, LogOptions.defaults()))
                .isInstanceOf(CorruptLogException.class)
                .hasMessage(storage.describe(FIRST_SEGMENT) + " is corrupt at byte offset 75: " + problem);
    }

    private static void assertRefused(WriteAheadLog log, String file, String problem) {
        assertThatThrownBy(log::readSnapshot)
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.file()).isEqualTo(file))
                .hasMessageStartingWith(file + " is corrupt at byte offset 0: ")
                .hasMessageContaining(problem);
    }
}
