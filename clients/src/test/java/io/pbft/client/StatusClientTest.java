package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusClientTest {

    @Test
    void reportsEveryReplicaInOrderAndTheUnreachableOnesAsSuch() throws Exception {
        try (FakeCluster cluster = FakeCluster.start(4, Set.of(2))) {
            List<ReplicaStatus> statuses = StatusClient.query(cluster.config, Duration.ofMillis(1_500));
            assertThat(statuses).extracting(ReplicaStatus::id).containsExactly(0, 1, 2, 3);
            assertThat(statuses.get(2)).isEqualTo(ReplicaStatus.unreachable(2));
            for (int id : new int[] {0, 1, 3}) {
                assertThat(statuses.get(id))
                        .isEqualTo(new ReplicaStatus(id, true, 7, 3, false, false, 42 + id, "00".repeat(32), 32, new TreeMap<>()));
            }
        }
    }
}
