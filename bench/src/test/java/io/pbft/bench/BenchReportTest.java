package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.workload.WorkloadResult;
import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static final MachineInfo MACHINE =
            new MachineInfo(2, "test cpu", "1 GiB", "test os", "0.00 0.00 0.00", List.of("java 17"));

    @Test
    void theTableShowsRequestsPerBatchAndAQuestionMarkWhenThePrimaryCouldNotBeAsked() {
        BenchReport report = report(new BenchReport.Phase(8, result(8, 1_200, 0.5), 100),
                new BenchReport.Phase(32, result(32, 900, 0.5), -1));

        assertThat(report.table()).hasSize(4);
        assertThat(report.table().get(0)).endsWith("| requests per batch |");
        assertThat(report.table().get(2)).startsWith("| 8 | 1 | 1200 | 0 | 0 |").endsWith("| 12.0 |");
        assertThat(report.table().get(3)).startsWith("| 32 | 1 | 900 |").endsWith("| ? |");
    }

    @Test
    void aPipelinedClientIsShownWithItsOutstandingRequestsAndIsNotTheOneClosedLoopClient() {
        BenchReport report = report(new BenchReport.Phase(1, 32, result(32, 20_000, 0.5), 1_000),
                new BenchReport.Phase(32, result(32, 10_000, 1.0), 500));

        assertThat(report.table().get(2)).startsWith("| 1 | 32 | 20000 |");
        assertThat(report.summary()).noneMatch(line -> line.startsWith("one closed-loop client"));
        assertThat(report.summary()).anySatisfy(line -> assertThat(line)
                .startsWith("best throughput: 20000 ops/s with 1 client with 32 outstanding"));
    }

    @Test
    void theMarksAreMetOnlyBelowOneMillisecondAndAboveTenThousandOperationsPerSecond() {
        BenchReport fast = report(new BenchReport.Phase(1, result(1, 1_000, 0.9), 1_000),
                new BenchReport.Phase(32, result(32, 10_001, 1.0), 500));
        BenchReport slow = report(new BenchReport.Phase(1, result(1, 1_000, 1.1), 1_000),
                new BenchReport.Phase(32, result(32, 10_000, 1.0), 500));

        assertThat(fast.summary()).anySatisfy(line -> assertThat(line).startsWith("one closed-loop client")
                .endsWith(": met)"));
        assertThat(fast.summary()).anySatisfy(line -> assertThat(line).startsWith("best throughput: 10001 ops/s")
                .endsWith(": met)"));
        assertThat(slow.summary()).anySatisfy(line -> assertThat(line).startsWith("one closed-loop client")
                .endsWith("not met)"));
        assertThat(slow.summary()).anySatisfy(line -> assertThat(line).startsWith("best throughput: 10000 ops/s")
                .endsWith("not met)"));
    }

    @Test
    void theMarkdownNamesTheCommandThatProducedIt() {
        BenchReport report = report(new BenchReport.Phase(1, result(1, 10, 0.5), 10));

        assertThat(report.markdown()).contains("- command: `scripts/pbft bench --duration-seconds 1`")
                .contains("| requests per batch |");
    }

    private static BenchReport report(BenchReport.Phase... phases) {
        List<ReplicaEndpoint> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new ReplicaEndpoint(i, "127.0.0.1", 7000 + i, 7100 + i, new byte[32]));
        }
        ClusterConfig config = new ClusterConfig(replicas, ReplicaConfig.defaults(4, 0), 8 * 1024 * 1024, 500);
        RunHeader run = new RunHeader("scripts/pbft bench --duration-seconds 1", "2026-11-26", MACHINE);
        return new BenchReport(run, config, List.of("setup"), List.of(phases));
    }

    /** {@code ok} operations in one second, every one taking {@code latencyMillis}. */
    private static WorkloadResult result(int clients, long ok, double latencyMillis) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount((long) (latencyMillis * 1_000_000), ok);
        return new WorkloadResult(clients, ok, 0, 0, Map.of(), 0, latency, TimeUnit.SECONDS.toNanos(1), List.of());
    }
}
