package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.driver.state.FetchStats;
import io.pbft.metrics.Metrics;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    @Test
    void whatStateTransferFetchedIsReportedOnceItIsNotZeroAndSummedOverFetches() {
        NodeMetrics metrics = new NodeMetrics(Metrics.NONE, 3);
        assertThat(metrics.nonZeroCounters()).as("before any fetch").isEmpty();

        FetchStats first = new FetchStats(10, 40, 2, 1_000, 64);
        FetchStats second = new FetchStats(5, 12, 1, 300, 64);
        metrics.publishFetched(first.plus(second));

        assertThat(metrics.nonZeroCounters())
                .containsEntry("state_transfer.requests_sent", 15L)
                .containsEntry("state_transfer.partitions_installed", 3L)
                .containsEntry("state_transfer.partition_bytes", 1_300L)
                .containsEntry("state_transfer.client_table_bytes", 128L)
                .hasSize(4);
    }
}
