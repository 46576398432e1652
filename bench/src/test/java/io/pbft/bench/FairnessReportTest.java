package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FairnessReportTest {

    private static final MachineInfo MACHINE =
            new MachineInfo(2, "test cpu", "1 GiB", "test os", "0.00 0.00 0.00", List.of("java 17"));
    private static final long MS = 1_000_000;
    private static final ReplicaFootprint PRIMARY =
            new ReplicaFootprint(12 * 1024 * 1024, 200 * 1024 * 1024, ReplicaFootprint.DiskUsage.NONE, 29);

    @Test
    void eachLoadsMedianIsSetAgainstTheQuietOneAndMarkedAgainstThreeTimesIt() {
        FairnessReport report = report(0, phase("quiet", 2 * MS, 0), phase("request flood", 5 * MS, 0),
                phase("handshake flood", 7 * MS, 0));

        assertThat(report.medianRatio(report.phases().get(1))).isBetween(2.49, 2.51);
        assertThat(report.latencyTable().get(3)).startsWith("| request flood | 100 | 5.0").contains("| 2.50 |")
                .contains("| yes |");
        assertThat(report.latencyTable().get(4)).contains("| 3.50 |").contains("| no |");
        assertThat(report.latencyTable().get(2)).contains("| yes | - |");
        assertThat(report.latencyTable().get(3)).contains("| median 2.00 (3.00, 1.00, 2.00) |");
        assertThat(report.allOk()).isTrue();
    }

    @Test
    void aRunIsNotOkIfAnOperationWentUnansweredAndSaysWhetherTheSignedRequestsLasted() {
        assertThat(report(0, phase("quiet", MS, 0)).allOk()).isTrue();
        assertThat(report(0, phase("quiet", MS, 0)).markdown()).contains("lasted through all its floods");
        assertThat(report(70, phase("quiet", MS, 0)).markdown()).contains("went on with 70 requests whose signatures");
        assertThat(report(0, phase("quiet", MS, 1)).allOk()).isFalse();
    }

    @Test
    void theFootprintTableShowsHeapResidentAndDescriptorsPerFloodAndMoment() {
        FairnessReport report = report(0, phase("quiet", MS, 0));

        assertThat(report.footprintTable().get(2)).isEqualTo("| idle connection flood | during | 2000 | 0 | 12.0 | 200.0 | 29 |");
        assertThat(report.counterLines()).containsExactly("quiet: dropped.superseded_request 7");
    }

    private static FairnessReport report(long badlySigned, FairnessReport.Phase... phases) {
        return new FairnessReport(new RunHeader("scripts/pbft bench-fairness", "today", MACHINE), List.of("setup"),
                List.of(phases), List.of(new FairnessReport.Footprint("idle connection flood", "during", 2000, 0,
                        PRIMARY)), 1000, badlySigned);
    }

    /** A phase of 100 operations, all at {@code latencyNanos}. */
    private static FairnessReport.Phase phase(String load, long latencyNanos, long notAnswered) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(latencyNanos, 100);
        return new FairnessReport.Phase(load, latency, 100, notAnswered, 0, 0,
                new TreeMap<>(Map.of("dropped.superseded_request", 7L, "redundant_prepares", 0L)),
                load.equals("quiet") ? List.of() : List.of(3.0, 1.0, 2.0));
    }
}
