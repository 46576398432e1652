package io.pbft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The simulated disk keeps what was forced and a random part of the rest, from its seed. Each
 * test crashes many disks fed by one seeded source (not one seed each: the first draws of
 * {@code new Random(seed)} for neighbouring seeds are alike), so each kind of loss shows up.
 */
class SimulatedDiskTest {

    private static final int TRIALS = 100;
    private static final long SEED = 20_240_601;
    private static final byte[] FORCED = {1, 2, 3};
    private static final byte[] WRITTEN = {4, 5, 6, 7};

    @Test
    void forcedBytesSurviveACrashAndOfTheRestARandomPrefix() throws IOException {
        Set<String> kept = outcomesOfCrashes(disk -> forcedThen(disk, file -> file.append(ByteBuffer.wrap(WRITTEN))),
                disk -> HexFormat.of().formatHex(LogFixtures.contents(disk, "f")));
        assertThat(kept).containsExactlyInAnyOrder("010203", "01020304", "0102030405", "010203040506",
                "01020304050607");
    }

    @Test
    void aFileCutSinceItsLastForceComesBackCutOrWhole() throws IOException {
        Set<String> kept = outcomesOfCrashes(disk -> forcedThen(disk, file -> file.truncate(1)),
                disk -> HexFormat.of().formatHex(LogFixtures.contents(disk, "f")));
        assertThat(kept).containsExactlyInAnyOrder("01", "010203");
    }

    @Test
    void namesSurviveOnlyOnceTheDirectoryIsSyncedAndInOrder() throws IOException {
        Set<List<String>> names = outcomesOfCrashes(disk -> {
            disk.create("kept").close();
            disk.syncDirectory();
            disk.create("a").close();
            disk.rename("a", "b");
            disk.delete("kept");
        }, SimulatedDisk::list);
        assertThat(names).containsExactlyInAnyOrder(
                List.of("kept"), List.of("a", "kept"), List.of("b", "kept"), List.of("b"));
    }

    @Test
    void filesOpenedBeforeACrashFailAfterIt() throws IOException {
        SimulatedDisk disk = new SimulatedDisk(new Random(1));
        StorageFile file = disk.create("f");
        disk.syncDirectory();
        disk.crash();
        assertThatThrownBy(() -> file.append(ByteBuffer.wrap(FORCED))).isInstanceOf(IOException.class)
                .hasMessage("the simulated disk crashed since this file was opened");
        assertThat(disk.open("f").size()).isZero();
    }

    @Test
    void theSameSeedLosesTheSameBytes() throws IOException {
        assertThat(filesAfterACrash(42)).isEqualTo(filesAfterACrash(42));
    }

    /** Once a write fails, the log refuses more: a retried fsync could report lost pages as durable. */
    @Test
    void aLogRefusesUseAfterAFailedWriteAndRecoversWhenReopened() throws IOException {
        SimulatedDisk disk = new SimulatedDisk(new Random(3));
        WriteAheadLog log = WriteAheadLog.open(disk, LogFixtures.SMALL);
        log.append(1, (byte) 0, new byte[] {1});
        log.sync();
        disk.crash();
        log.append(2, (byte) 0, new byte[] {2});
        assertThatThrownBy(log::sync).isInstanceOf(IOException.class)
                .hasMessage("the simulated disk crashed since this file was opened");
        assertThatThrownBy(() -> log.append(3, (byte) 0, new byte[0])).isInstanceOf(IOException.class)
                .hasMessageStartingWith("the write-ahead log is unusable after an earlier failure");
        assertThat(LogFixtures.reopenAndReplay(disk, LogFixtures.SMALL)).extracting(LogRecord::sequence)
                .containsExactly(1L);
    }

    /** What many disks, fed by one seeded source, prepared alike, hold after a crash. */
    private static <T> Set<T> outcomesOfCrashes(DiskStep prepare, DiskReading<T> read) throws IOException {
        Set<T> outcomes = new HashSet<>();
        Random random = new Random(SEED);
        for (int trial = 0; trial < TRIALS; trial++) {
            SimulatedDisk disk = new SimulatedDisk(random);
            prepare.run(disk);
            disk.crash();
            outcomes.add(read.read(disk));
        }
        return outcomes;
    }

    /** A synced file "f" holding {@link #FORCED}, forced, then {@code step} done to it. */
    private static void forcedThen(SimulatedDisk disk, FileStep step) throws IOException {
        try (StorageFile file = disk.create("f")) {
            disk.syncDirectory();
            file.append(ByteBuffer.wrap(FORCED));
            file.force();
            step.run(file);
        }
    }

    private interface DiskStep {
        void run(SimulatedDisk disk) throws IOException;
    }

    private interface DiskReading<T> {
        T read(SimulatedDisk disk) throws IOException;
    }

    private interface FileStep {
        void run(StorageFile file) throws IOException;
    }

    /** Unsynced frames larger than the write buffer reach the file, for the crash to cut. */
    private static Map<String, String> filesAfterACrash(long seed) throws IOException {
        SimulatedDisk disk = new SimulatedDisk(new Random(seed));
        WriteAheadLog log = WriteAheadLog.open(disk, LogFixtures.SMALL);
        LogFixtures.appendRandom(log, new Random(seed), 20, 30);
        for (int i = 0; i < 3; i++) {
            log.append(99, (byte) 0, new byte[LogFixtures.SMALL.writeBufferBytes()]);
        }
        disk.crash();
        Map<String, String> files = new TreeMap<>();
        LogFixtures.files(disk).forEach((name, bytes) -> files.put(name, HexFormat.of().formatHex(bytes)));
        return files;
    }
}
