package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.bench.FailoverRound.Answered;
import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.PlannedOp;
import io.pbft.cli.workload.WorkloadResult;
import io.pbft.client.ReplicaStatus;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FailoverRoundTest {

    private static final long T0 = 1_000;

    @Test
    void failoverIsTheEarliestReturnOfAnOperationCalledAfterT0MinusT0() {
        List<Answered> answered = List.of(
                new Answered(900, 1_200),     // called before t0: the primary may have ordered it
                new Answered(1_100, 4_000),
                new Answered(1_300, 3_500),   // called later, answered first
                new Answered(2_000, 5_000));

        assertThat(FailoverRound.failoverNanos(T0, answered)).hasValue(2_500);
    }

    @Test
    void anOperationCalledAtT0ItselfOrBeforeDoesNotCount() {
        List<Answered> answered = List.of(new Answered(T0, 1_050), new Answered(999, 1_010));

        assertThat(FailoverRound.failoverNanos(T0, answered)).isEmpty();
        assertThat(FailoverRound.failoverNanos(T0, List.of())).isEmpty();
    }

    @Test
    void nanoTimeValuesAreComparedByDifferenceSoAWrapDoesNotMatter() {
        long t0 = Long.MAX_VALUE - 10;
        List<Answered> answered = List.of(new Answered(Long.MIN_VALUE + 5, Long.MIN_VALUE + 100),
                new Answered(t0 - 5, Long.MIN_VALUE + 1));

        assertThat(FailoverRound.failoverNanos(t0, answered)).hasValue(111);
    }

    @Test
    void theLongestOperationIsTheLargestCallToReturnTime() {
        List<Answered> answered = List.of(new Answered(0, 10), new Answered(5, 3_005), new Answered(3_000, 3_004));

        assertThat(FailoverRound.longestNanos(answered)).isEqualTo(3_000);
        assertThat(FailoverRound.longestNanos(List.of())).isZero();
    }

    @Test
    void aRoundCountsOnlyAnsweredOperationsFromItsHistory() {
        List<HistoryEntry> history = List.of(
                ok(900, 1_100),
                ok(1_200, 3_700),
                new HistoryEntry(1, PlannedOp.get("k"), 1_100, 1_150, OpStatus.FAIL, HistoryEntry.Output.NONE),
                new HistoryEntry(2, PlannedOp.get("k"), 1_050, HistoryEntry.NOT_RETURNED, OpStatus.UNKNOWN,
                        HistoryEntry.Output.NONE));
        WorkloadResult result = new WorkloadResult(2, 2, 1, 1, Map.of(), 0, new Histogram(3), 3_000, history);

        FailoverRound round = FailoverRound.of(1, 2, 0, 0, T0, result, "3 replicas work in view 1");

        assertThat(round.failoverNanos()).isEqualTo(OptionalLong.of(2_700));
        assertThat(round.longestNanos()).isEqualTo(2_500);
        assertThat(round.replicaCount()).isEqualTo(4);
        assertThat(List.of(round.completed(), round.failed(), round.unknown())).containsExactly(2L, 1L, 1L);
    }

    @Test
    void theViewsAtTheEndSayHowManyReplicasDidNotAnswer() {
        ReplicaStatus inView1 = new ReplicaStatus(1, true, 1, 1, false, false, 70, "ab", 64, new TreeMap<>());
        ReplicaStatus changing = new ReplicaStatus(2, true, 2, 2, true, false, 70, "ab", 64, new TreeMap<>());

        assertThat(FailoverRound.describeViews(List.of(inView1, inView1, changing)))
                .isEqualTo("2 replicas work in view 1; 1 replica is changing view");
        assertThat(FailoverRound.describeViews(List.of(inView1, ReplicaStatus.unreachable(3))))
                .isEqualTo("1 replica works in view 1; 1 did not answer the status query");
    }

    private static HistoryEntry ok(long callNanos, long retNanos) {
        return new HistoryEntry(1, PlannedOp.put("k", "v"), callNanos, retNanos, OpStatus.OK,
                HistoryEntry.Output.NONE);
    }
}
