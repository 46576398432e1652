package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaFootprintTest {

    /** What {@code jstat -gc} printed for a serial-collector JVM right after {@code jcmd PID GC.run}. */
    private static final String JSTAT_GC = """
                S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC \
                    MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT
                 8704.0      8704.0         0.0         0.0      70016.0          0.0     174784.0      12072.5     9408.0 \
                   9149.3    1216.0    1095.8      0     0.000     1     0.013     -         -     0.013
            """;

    @Test
    void theHeapInUseIsTheSurvivorEdenAndOldSpacesUsedNotTheirCapacityNorTheMetaspace() {
        assertThat(ReplicaFootprint.jstatHeapUsedBytes(JSTAT_GC)).isEqualTo(Math.round(12072.5 * 1024));
        assertThat(ReplicaFootprint.jstatHeapUsedBytes("S0U S1U EU OU\n1.0 2.0 3.0 4.0\n")).isEqualTo(10 * 1024);
    }

    @Test
    void jstatOutputWithoutTheUsedColumnsIsRefusedRatherThanReadAsZero() {
        assertThatThrownBy(() -> ReplicaFootprint.jstatHeapUsedBytes("12345: Could not attach\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplicaFootprint.jstatHeapUsedBytes("S0U S1U EU\n1.0 2.0 3.0\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OU");
    }

    @Test
    void aDataDirectoryIsSplitIntoLogSegmentsTheSnapshotAndTheRest(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("00000000000000000001.wal"), new byte[1_000]);
        Files.write(dir.resolve("00000000000000000900.wal"), new byte[500]);
        Files.write(dir.resolve(ReplicaFootprint.SNAPSHOT_FILE), new byte[300]);
        Files.write(dir.resolve("snapshot.tmp"), new byte[20]);

        ReplicaFootprint.DiskUsage usage = ReplicaFootprint.diskUsage(dir);

        assertThat(usage).isEqualTo(new ReplicaFootprint.DiskUsage(1_500, 2, 300, 20));
        assertThat(usage.totalBytes()).isEqualTo(1_820);
        assertThat(ReplicaFootprint.diskUsage(dir.resolve("missing"))).isEqualTo(ReplicaFootprint.DiskUsage.NONE);
    }

    @Test
    void openDescriptorsCountTheFilesAProcessHoldsAndMinusOneForNoSuchProcess(@TempDir Path dir) throws IOException {
        long self = ProcessHandle.current().pid();
        List<FileChannel> opened = new ArrayList<>();
        try {
            long before = ReplicaFootprint.openDescriptors(self);
            for (int i = 0; i < 20; i++) {
                opened.add(FileChannel.open(dir.resolve("f" + i), StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            }
            assertThat(before).isPositive();
            assertThat(ReplicaFootprint.openDescriptors(self)).isGreaterThanOrEqualTo(before + 20);
        } finally {
            for (FileChannel channel : opened) {
                channel.close();
            }
        }
        assertThat(ReplicaFootprint.openDescriptors(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
