package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakReportTest {

    private static final MachineInfo MACHINE =
            new MachineInfo(2, "test cpu", "1 GiB", "test os", "0.00 0.00 0.00", List.of("java 17"));
    private static final long MIB = 1024 * 1024;

    @Test
    void theTablesShowEveryReplicaAtEveryPointAndAQuestionMarkForWhatCouldNotBeMeasured() {
        SoakReport report = report(0, 0,
                point(0, Double.NaN, 10 * MIB, 0),
                point(1_000, 500, 12 * MIB, 3 * MIB),
                new SoakReport.Point(2_000, 130, 480, List.of(footprint(12 * MIB, 4 * MIB), footprint(-1, 4 * MIB))));

        assertThat(report.memoryTable()).hasSize(5);
        assertThat(report.memoryTable().get(0)).contains("heap after full GC, MiB (replica 0 / 1)");
        assertThat(report.memoryTable().get(2)).isEqualTo("| 0 | 0 | - | 10.0 / 10.0 | 100.0 / 100.0 |");
        assertThat(report.memoryTable().get(4)).isEqualTo("| 2000 | 130 | 480 | 12.0 / ? | 100.0 / 100.0 |");
        assertThat(report.diskTable().get(3)).isEqualTo("| 1000 | 3.1 / 3.1 | 2 / 2 | 64 / 64 |");
        assertThat(report.allOk()).as("a replica's heap was not measured").isFalse();
    }

    @Test
    void theSummaryComparesTheFirstAndLastPointsUnderLoadLeavingOutThePointBeforeTheLoad() {
        SoakReport report = report(0, 0,
                point(0, Double.NaN, 5 * MIB, 0),
                point(10_000, 900, 20 * MIB, 8 * MIB),
                point(20_000, 900, 22 * MIB, 16 * MIB),
                point(30_000, 900, 21 * MIB, 9 * MIB));

        assertThat(report.summary()).contains(
                "heap after full GC (largest replica): 20.0 MiB after 10000 requests, 21.0 MiB after 30000; between"
                        + " 20.0 and 22.0 MiB over the 3 points under load",
                "data directory (largest replica): 8.1 MiB after 10000 requests, 9.1 MiB after 30000; between 8.1"
                        + " and 16.1 MiB over the 3 points under load",
                "requests: 30000 issued, 0 failed, 0 unknown; 130 sequence numbers executed");
        assertThat(report.allOk()).isTrue();
    }

    @Test
    void failedOrUnknownOperationsMakeTheRunNotOkAndTheMarkdownNamesTheCommand() {
        SoakReport report = report(1, 2, point(0, Double.NaN, MIB, 0), point(100, 50, MIB, MIB));

        assertThat(report.allOk()).isFalse();
        assertThat(report.markdown()).contains("- command: `scripts/pbft bench-soak --requests 100`")
                .contains("## Memory").contains("## Disk").contains("100 issued, 1 failed, 2 unknown");
    }

    private static SoakReport report(long failed, long unknown, SoakReport.Point... points) {
        RunHeader run = new RunHeader("scripts/pbft bench-soak --requests 100", "2026-12-06", MACHINE);
        return new SoakReport(run, List.of("setup"), List.of(points), failed, unknown);
    }

    /** Two replicas alike, whose data directory holds two segments and a 64 KiB snapshot besides {@code logBytes}. */
    private static SoakReport.Point point(long requests, double opsPerSecond, long heapBytes, long logBytes) {
        ReplicaFootprint replica = footprint(heapBytes, logBytes);
        return new SoakReport.Point(requests, requests == 0 ? 0 : 130, opsPerSecond, List.of(replica, replica));
    }

    private static ReplicaFootprint footprint(long heapBytes, long logBytes) {
        return new ReplicaFootprint(heapBytes, 100 * MIB, new ReplicaFootprint.DiskUsage(logBytes, 2, 64 * 1024, 0), 40);
    }
}
