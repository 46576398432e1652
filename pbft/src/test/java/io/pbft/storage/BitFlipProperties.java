package io.pbft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.storage.LogFixtures.Placed;
import io.pbft.storage.StorageSeeds.Disk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One flipped bit anywhere in a log is caught, and the answer is exact: in the last record of
 * the last segment it looks like a torn write and that record alone is cut; anywhere else it is
 * a {@link CorruptLogException} naming the file and the offset where the damaged record starts.
 * No flip ever makes the log return a wrong record.
 */
class BitFlipProperties {

    private static final int RECORDS = 10;
    private static final int MAX_PAYLOAD_BYTES = 40;
    private static final int REAL_FILE_FLIPS = 16;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("io.pbft.storage.StorageSeeds#seedsOnEachDisk")
    void everyBitFlipIsCutAsTheTornLastRecordOrRefusedWithItsFileAndOffset(Disk disk, long seed) {
        StorageSeeds.check(seed, getClass(), "everyBitFlipIsCutAsTheTornLastRecordOrRefusedWithItsFileAndOffset",
                random -> flipBits(disk.open(directory, random), random, disk.sample(REAL_FILE_FLIPS)));
    }

    private static void flipBits(LogStorage storage, Random random, int samplePerSegment) throws Exception {
        List<Placed> layout;
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogFixtures.SMALL)) {
            layout = LogFixtures.layout(storage, LogFixtures.appendRandom(log, random, RECORDS, MAX_PAYLOAD_BYTES));
            assertThat(log.segmentCount()).isGreaterThan(1);
        }
        Map<String, byte[]> files = LogFixtures.files(storage);
        Placed lastRecord = layout.get(layout.size() - 1);
        try (RecoveryWarnings warnings = new RecoveryWarnings()) {
            for (String segment : LogFixtures.segments(storage)) {
                byte[] original = files.get(segment);
                for (int bit : LogFixtures.choose(random, original.length * 8, samplePerSegment).toArray()) {
                    LogFixtures.restore(storage, files);
                    LogFixtures.overwrite(storage, segment, LogFixtures.flipBit(original, bit));
                    Placed hit = layout.stream().filter(p -> p.segment().equals(segment) && p.endOffset() > bit / 8)
                            .findFirst().orElseThrow();
                    String trial = segment + " bit " + bit;
                    if (hit.equals(lastRecord)) {
                        assertTornLastRecordCut(storage, layout, warnings, trial);
                    } else {
                        assertRefused(storage, hit, trial);
                    }
                }
            }
        }
    }

    private static void assertTornLastRecordCut(LogStorage storage, List<Placed> layout, RecoveryWarnings warnings,
            String trial) throws Exception {
        Placed last = layout.get(layout.size() - 1);
        List<LogRecord> allButLast = layout.stream().map(Placed::record)
                .filter(Predicate.not(last.record()::equals)).toList();
        assertThat(LogFixtures.reopenAndReplay(storage, LogFixtures.SMALL)).as(trial).isEqualTo(allButLast);
        assertThat(LogFixtures.contents(storage, last.segment())).as(trial).hasSize((int) last.offset());
        assertThat(warnings.drain()).as(trial).singleElement().asString()
                .contains(storage.describe(last.segment())).contains("byte offset " + last.offset() + " ");
    }

    private static void assertRefused(LogStorage storage, Placed hit, String trial) {
        String file = storage.describe(hit.segment());
        assertThatThrownBy(() -> WriteAheadLog.open(storage, LogFixtures.SMALL))
                .as(trial)
                .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.offset()).isEqualTo(hit.offset());
                    assertThat(e.getMessage()).contains(file).contains("byte offset " + hit.offset() + ":");
                });
    }
}
