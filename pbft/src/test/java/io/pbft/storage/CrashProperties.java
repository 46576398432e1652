package io.pbft.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rounds of appends, syncs, snapshots and truncations on a {@link SimulatedDisk}, each ended by
 * a crash that loses a random part of what was not synced. After every crash the log opens and
 * holds an unbroken run of what was appended: every synced record, nothing invented, nothing
 * truncated that was still needed; and the latest snapshot, whole.
 */
class CrashProperties {

    private static final int ROUNDS = 25;
    private static final int MAX_STEPS = 40;
    private static final int MAX_PAYLOAD_BYTES = 50;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.storage.StorageSeeds#seeds")
    void everySyncedRecordSurvivesCrashes(long seed) {
        StorageSeeds.check(seed, getClass(), "everySyncedRecordSurvivesCrashes",
                random -> new Run(random, LogFixtures.SMALL).crashRepeatedly());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pbft.storage.StorageSeeds#seeds")
    void withoutForcingTheLogStillRecoversAnUnbrokenRunAfterCrashes(long seed) {
        StorageSeeds.check(seed, getClass(), "withoutForcingTheLogStillRecoversAnUnbrokenRunAfterCrashes",
                random -> new Run(random, LogFixtures.SMALL.withSyncPolicy(SyncPolicy.NONE)).crashRepeatedly());
    }

    /** One seed's run: the log as its writer saw it, and what must have survived. */
    private static final class Run {

        private final Random random;
        private final LogOptions options;
        private final SimulatedDisk disk;
        /** Record i (from 1) at position i - 1: what the writer appended and did not lose. */
        private final List<LogRecord> appended = new ArrayList<>();
        private long durableIndex;
        private long truncatedBelow = Long.MIN_VALUE;
        private long sequence = 1;
        private Optional<byte[]> snapshot = Optional.empty();
        private int segmentsDeleted;

        Run(Random random, LogOptions options) {
            this.random = random;
            this.options = options;
            this.disk = new SimulatedDisk(random);
        }

        void crashRepeatedly() throws IOException {
            try (RecoveryWarnings warnings = new RecoveryWarnings()) {
                for (int round = 0; round < ROUNDS; round++) {
                    WriteAheadLog log = WriteAheadLog.open(disk, options);
                    assertThat(warnings.drain()).as("round %d: torn writes cut", round).hasSizeLessThanOrEqualTo(1);
                    checkRecovered(log, round);
                    int steps = random.nextInt(MAX_STEPS);
                    for (int step = 0; step < steps; step++) {
                        step(log);
                    }
                    // Whatever the policy, a segment that is no longer the last one was forced.
                    durableIndex = Math.max(durableIndex, lastSegmentFirstIndex() - 1);
                    disk.crash();
                }
            }
            assertThat(segmentsDeleted).as("segments truncated in the whole run").isPositive();
        }

        private void checkRecovered(WriteAheadLog log, int round) throws IOException {
            long first = log.firstIndex();
            long last = log.nextIndex() - 1;
            assertThat(last).as("round %d: last index recovered", round).isGreaterThanOrEqualTo(durableIndex)
                    .isLessThanOrEqualTo(appended.size());
            assertThat(LogFixtures.replay(log)).as("round %d", round)
                    .isEqualTo(appended.subList((int) first - 1, (int) last));
            assertThat(appended.subList(0, (int) first - 1)).as("round %d: records truncated", round)
                    .allSatisfy(record -> assertThat(record.sequence()).isLessThan(truncatedBelow));
            assertThat(log.readSnapshot().map(ByteBuffer::wrap)).as("round %d: snapshot", round)
                    .isEqualTo(snapshot.map(ByteBuffer::wrap));
            appended.subList((int) last, appended.size()).clear();
        }

        private void step(WriteAheadLog log) throws IOException {
            int choice = random.nextInt(20);
            if (choice < 12) {
                sequence += random.nextInt(3);
                byte[] payload = new byte[random.nextInt(MAX_PAYLOAD_BYTES + 1)];
                random.nextBytes(payload);
                byte type = (byte) random.nextInt();
                appended.add(new LogRecord(log.append(sequence, type, payload), sequence, type, payload));
            } else if (choice < 18) {
                log.sync();
                if (options.syncPolicy() == SyncPolicy.EVERY_BATCH) {
                    durableIndex = log.nextIndex() - 1;
                }
            } else {
                checkpoint(log);
            }
        }

        /** As a replica at a stable checkpoint: the snapshot first, then the truncation. */
        private void checkpoint(WriteAheadLog log) throws IOException {
            byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            log.writeSnapshot(bytes);
            snapshot = Optional.of(bytes);
            long below = sequence - random.nextInt(5);
            truncatedBelow = Math.max(truncatedBelow, below);
            segmentsDeleted += log.truncateBefore(below);
        }

        private long lastSegmentFirstIndex() throws IOException {
            List<String> segments = LogFixtures.segments(disk);
            return Segment.firstIndexOf(segments.get(segments.size() - 1));
        }
    }
}
