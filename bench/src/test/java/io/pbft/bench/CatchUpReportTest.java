package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.workload.WorkloadResult;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CatchUpReportTest {

    private static final MachineInfo MACHINE =
            new MachineInfo(2, "test cpu", "1 GiB", "test os", "0.00 0.00 0.00", List.of("java 17"));

    @Test
    void theTableWeighsTheBytesFetchedAgainstThePeersSnapshot() {
        CatchUpReport report = report(outcome(OptionalLong.of(millis(4_064)), Map.of(
                CatchUpReport.PARTITION_BYTES, 300L * 1024, CatchUpReport.CLIENT_TABLE_BYTES, 100L * 1024,
                CatchUpReport.PARTITIONS_INSTALLED, 250L, CatchUpReport.REQUESTS_SENT, 260L), 500L * 1024));

        assertThat(report.table()).contains(
                "| sequence numbers missed | 500 (executed 63 at the fault; the others then at 563, stable checkpoint"
                        + " 512) |",
                "| backup | replica 3 (view 0), killed |",
                "| back to caught up (ms) | 4064 |",
                "| state transfer | 250 of 256 partitions installed, 260 requests |",
                "| bytes fetched (KiB) | 400.0 (partitions 300.0, client table 100.0) |",
                "| full state: a peer's snapshot file (KiB) | 500.0 |",
                "| fetched / full state | 0.80 |");
        assertThat(report.allOk()).isTrue();
    }

    @Test
    void aBackupThatDidNotCatchUpSaysSoInsteadOfATimeAndIsNotOk() {
        CatchUpReport report = report(outcome(OptionalLong.empty(), Map.of(), -1));

        assertThat(report.table()).contains("| back to caught up (ms) | not within 600 s |",
                "| state transfer | not needed (caught up from the others' logs) |",
                "| full state: a peer's snapshot file (KiB) | no snapshot yet |", "| fetched / full state | ? |");
        assertThat(report.allOk()).isFalse();
        assertThat(report.markdown()).contains("- command: `scripts/pbft bench-catchup --keys 1000`");
    }

    private static CatchUpReport report(CatchUpReport.Outcome outcome) {
        RunHeader run = new RunHeader("scripts/pbft bench-catchup --keys 1000", "2026-12-06", MACHINE);
        return new CatchUpReport(run, List.of("setup"), 1_000, 1_000, 256, outcome);
    }

    private static CatchUpReport.Outcome outcome(OptionalLong caughtUpNanos, Map<String, Long> counters,
            long fullStateBytes) {
        return new CatchUpReport.Outcome("killed", 0, 3, 63, writes(8_000), 512, 563, 63, OptionalLong.of(millis(1_332)),
                caughtUpNanos, caughtUpNanos, false, new TreeMap<>(counters), fullStateBytes, 600);
    }

    private static WorkloadResult writes(long ok) {
        return new WorkloadResult(16, ok, 0, 0, Map.of(), 0, new Histogram(3), TimeUnit.SECONDS.toNanos(10),
                List.of());
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
