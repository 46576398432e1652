package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplicaStatusTest {

    private static ReplicaStatus working(int id, long view, boolean changingView) {
        return new ReplicaStatus(id, true, view, (int) (view % 4), changingView, false, 10, "ab", 0, new TreeMap<>());
    }

    @Test
    void replicasWorkInOneViewOnlyWhenAllAnsweredFromTheSameSettledView() {
        assertThat(ReplicaStatus.workInOneView(List.of(working(0, 2, false), working(1, 2, false)))).isTrue();

        assertThat(ReplicaStatus.workInOneView(List.of(working(0, 2, false), working(1, 3, false)))).isFalse();
        assertThat(ReplicaStatus.workInOneView(List.of(working(0, 2, false), working(1, 2, true)))).isFalse();
        assertThat(ReplicaStatus.workInOneView(List.of(working(0, 0, false), ReplicaStatus.unreachable(1))))
                .isFalse();
        assertThat(ReplicaStatus.workInOneView(List.of())).isFalse();
    }
}
