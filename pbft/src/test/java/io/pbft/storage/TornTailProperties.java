package io.pbft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.storage.LogFixtures.Placed;
import io.pbft.storage.StorageSeeds.Disk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash mid-write leaves the last segment cut anywhere: recovery keeps exactly the records
 * written whole before the cut, and the log takes appends again. A cut anywhere else is not a
 * crash and is refused.
 */
class TornTailProperties {

    private static final int RECORDS = 14;
    private static final int MAX_PAYLOAD_BYTES = 60;
    private static final int REAL_FILE_CUTS = 12;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("io.pbft.storage.StorageSeeds#seedsOnEachDisk")
    void cuttingTheLastSegmentAnywhereKeepsTheWholeRecordsBeforeTheCut(Disk disk, long seed) {
        StorageSeeds.check(seed, getClass(), "cuttingTheLastSegmentAnywhereKeepsTheWholeRecordsBeforeTheCut",
                random -> cutLastSegment(disk.open(directory, random), random, disk.sample(REAL_FILE_CUTS)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.storage.StorageSeeds#seeds")
    void everyCutOfAnEarlierSegmentIsRefused(long seed) {
        StorageSeeds.check(seed, getClass(), "everyCutOfAnEarlierSegmentIsRefused", random -> {
            SimulatedDisk disk = new SimulatedDisk(random);
            List<Placed> layout = writeLog(disk, random);
            Map<String, byte[]> files = LogFixtures.files(disk);
            List<String> segments = LogFixtures.segments(disk);
            for (String segment : segments.subList(0, segments.size() - 1)) {
                byte[] full = files.get(segment);
                for (int cut = 0; cut < full.length; cut++) {
                    LogFixtures.restore(disk, files);
                    LogFixtures.overwrite(disk, segment, Arrays.copyOf(full, cut));
                    // A cut on a frame boundary shows as the next segment starting too late.
                    long at = cut;
                    Placed broken = layout.stream().filter(p -> p.segment().equals(segment) && p.endOffset() > at)
                            .findFirst().orElseThrow();
                    String file = broken.offset() == cut ? next(segments, segment) : segment;
                    long offset = broken.offset() == cut ? 0 : broken.offset();
                    assertThatThrownBy(() -> WriteAheadLog.open(disk, LogFixtures.SMALL))
                            .as("%s cut at %d", segment, cut)
                            .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                                assertThat(e.file()).isEqualTo(disk.describe(file));
                                assertThat(e.offset()).isEqualTo(offset);
                            });
                }
            }
        });
    }

    private static void cutLastSegment(LogStorage storage, Random random, int sample) throws Exception {
        List<Placed> layout = writeLog(storage, random);
        Map<String, byte[]> files = LogFixtures.files(storage);
        String last = layout.get(layout.size() - 1).segment();
        byte[] full = files.get(last);
        try (RecoveryWarnings warnings = new RecoveryWarnings()) {
            for (int cut : LogFixtures.choose(random, full.length + 1, sample).toArray()) {
                LogFixtures.restore(storage, files);
                LogFixtures.overwrite(storage, last, Arrays.copyOf(full, cut));
                List<LogRecord> kept = new ArrayList<>();
                long tornAt = -1;
                for (Placed placed : layout) {
                    if (!placed.segment().equals(last) || placed.endOffset() <= cut) {
                        kept.add(placed.record());
                    } else if (placed.offset() < cut) {
                        tornAt = placed.offset();
                    }
                }
                assertRecoversAndAppends(storage, kept, cut);
                List<String> logged = warnings.drain();
                if (tornAt < 0) {
                    assertThat(logged).as("cut at %d, on a frame boundary", cut).isEmpty();
                } else {
                    assertThat(logged).as("cut at %d", cut).singleElement().asString()
                            .contains(storage.describe(last)).contains("byte offset " + tornAt + " ");
                }
            }
        }
    }

    private static void assertRecoversAndAppends(LogStorage storage, List<LogRecord> kept, int cut) throws Exception {
        List<LogRecord> expected = new ArrayList<>(kept);
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogFixtures.SMALL)) {
            assertThat(LogFixtures.replay(log)).as("cut at %d", cut).isEqualTo(kept);
            byte[] payload = {1, 2, 3};
            expected.add(new LogRecord(log.append(99, (byte) 7, payload), 99, (byte) 7, payload));
            log.sync();
        }
        assertThat(expected.get(expected.size() - 1).index()).isEqualTo(kept.size() + 1);
        assertThat(LogFixtures.reopenAndReplay(storage, LogFixtures.SMALL)).as("cut at %d, appended", cut)
                .isEqualTo(expected);
    }

    private static List<Placed> writeLog(LogStorage storage, Random random) throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(storage, LogFixtures.SMALL)) {
            List<LogRecord> records = LogFixtures.appendRandom(log, random, RECORDS, MAX_PAYLOAD_BYTES);
            assertThat(log.segmentCount()).isGreaterThan(1);
            return LogFixtures.layout(storage, records);
        }
    }

    private static String next(List<String> segments, String segment) {
        return segments.get(segments.indexOf(segment) + 1);
    }
}
