package io.pbft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.client.ClusterHealth.Flag;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which replicas make progress, from two polls: f = 1, n = 4, lag limit 8. */
class ClusterHealthTest {

    private static final int F = 1;
    private static final long LAG = 8;

    private static ReplicaStatus at(int id, long view, long lastExecuted) {
        return held(id, view, lastExecuted, lastExecuted);
    }

    /** A replica that assigned or accepted up to {@code highestSequence}. */
    private static ReplicaStatus held(int id, long view, long lastExecuted, long highestSequence) {
        return new ReplicaStatus(id, true, view, (int) (view % 4), false, false, lastExecuted, "ab",
                lastExecuted / 8 * 8, new TreeMap<>(), highestSequence);
    }

    private static ClusterHealth judge(List<ReplicaStatus> first, List<ReplicaStatus> second) {
        return ClusterHealth.judge(F, LAG, 1_000, first, second);
    }

    @Test
    void aBackupThatExecutedNothingWhileThePrimaryMovedOnIsStuckAndLagging() {
        ClusterHealth health = judge(List.of(at(0, 0, 100), at(1, 0, 100), at(2, 0, 99), at(3, 0, 50)),
                List.of(at(0, 0, 160), at(1, 0, 160), at(2, 0, 158), at(3, 0, 50)));

        assertThat(health.verdicts()).extracting(ClusterHealth.Verdict::behind).containsExactly(0L, 0L, 2L, 110L);
        assertThat(health.verdicts()).extracting(ClusterHealth.Verdict::executed).containsExactly(60L, 60L, 59L, 0L);
        assertThat(health.verdicts().get(3).flags()).containsExactlyInAnyOrder(Flag.STUCK, Flag.LAGGING);
        assertThat(health.verdicts().subList(0, 3)).allMatch(ClusterHealth.Verdict::makesProgress);
        assertThat(health.progressing()).isEqualTo(3);
        assertThat(health.live()).isTrue();
        assertThat(health.busiest().status().id()).isZero();
    }

    @Test
    void aBackupThatMovesButIsFarBehindIsLaggingNotStuck() {
        ClusterHealth health = judge(List.of(at(0, 0, 100), at(1, 0, 100), at(2, 0, 100), at(3, 0, 20)),
                List.of(at(0, 0, 110), at(1, 0, 110), at(2, 0, 110), at(3, 0, 40)));

        assertThat(health.verdicts().get(3).flags()).containsExactly(Flag.LAGGING);
    }

    @Test
    void withFPlusOneReplicasUnreachableTooFewMakeProgress() {
        List<ReplicaStatus> statuses = List.of(at(0, 0, 7), at(1, 0, 7), ReplicaStatus.unreachable(2),
                ReplicaStatus.unreachable(3));

        ClusterHealth health = judge(statuses, statuses);

        assertThat(health.verdicts().get(2).flags()).containsExactly(Flag.UNREACHABLE);
        assertThat(health.progressing()).isEqualTo(2);
        assertThat(health.live()).isFalse();
    }

    @Test
    void anIdleClusterMakesProgressSinceNothingWaits() {
        List<ReplicaStatus> statuses = List.of(at(0, 0, 7), at(1, 0, 7), at(2, 0, 7), at(3, 0, 7));

        ClusterHealth health = judge(statuses, statuses);

        assertThat(health.verdicts()).allMatch(verdict -> verdict.flags().isEmpty());
        assertThat(health.live()).isTrue();
    }

    @Test
    void replicasHoldingWorkThatExecutesNothingAreStuckEvenWhenNobodyMoves() {
        List<ReplicaStatus> wedged = List.of(held(0, 0, 7, 9), held(1, 0, 7, 9), held(2, 0, 7, 9), at(3, 0, 7));

        ClusterHealth health = judge(wedged, wedged);

        assertThat(health.verdicts()).extracting(verdict -> verdict.flags().contains(Flag.STUCK))
                .containsExactly(true, true, true, false);
        assertThat(health.live()).isFalse();
    }

    @Test
    void aSinglePollMeasuresNoProgressSoNobodyIsStuck() {
        List<ReplicaStatus> busy = List.of(held(0, 0, 7, 9), held(1, 0, 7, 9), held(2, 0, 6, 9), at(3, 0, 7));

        ClusterHealth health = ClusterHealth.judge(F, LAG, 0, busy, busy);

        assertThat(health.verdicts()).allMatch(ClusterHealth.Verdict::makesProgress);
    }

    @Test
    void aReplicaThatMissedTheFirstPollIsJudgedOnItsLagAndViewAlone() {
        ClusterHealth health = judge(List.of(at(0, 0, 100), at(1, 0, 100), at(2, 0, 100),
                ReplicaStatus.unreachable(3)), List.of(at(0, 0, 160), at(1, 0, 160), at(2, 0, 160), at(3, 0, 20)));

        assertThat(health.verdicts().get(3).executed()).isEqualTo(-1);
        assertThat(health.verdicts().get(3).flags()).containsExactly(Flag.LAGGING);
    }

    @Test
    void theMostAdvancedReplicaThatDidNotMoveWhileAnotherCaughtUpIsNotStuck() {
        ClusterHealth health = judge(List.of(at(0, 0, 50), at(1, 0, 50), at(2, 0, 50), at(3, 0, 45)),
                List.of(at(0, 0, 50), at(1, 0, 50), at(2, 0, 50), at(3, 0, 50)));

        assertThat(health.verdicts()).allMatch(ClusterHealth.Verdict::makesProgress);
    }

    @Test
    void aReplicaInAnotherViewThanTheQuorumOrChangingViewDoesNotCount() {
        ReplicaStatus changing = new ReplicaStatus(2, true, 2, 2, true, false, 9, "ab", 8, new TreeMap<>());
        List<ReplicaStatus> statuses = List.of(at(0, 1, 9), at(1, 1, 9), changing, at(3, 0, 9));

        ClusterHealth health = judge(statuses, statuses);

        assertThat(health.quorumView()).hasValue(1);
        assertThat(health.verdicts().get(2).flags()).containsExactly(Flag.CHANGING_VIEW);
        assertThat(health.verdicts().get(3).flags()).containsExactly(Flag.OTHER_VIEW);
        assertThat(health.live()).isFalse();
    }

    @Test
    void theQuorumViewIsTheHighestViewOfAtLeastFPlusOneReplicas() {
        assertThat(ClusterHealth.quorumView(F, List.of(at(0, 3, 1), at(1, 4, 1), at(2, 3, 1), at(3, 4, 1))))
                .hasValue(4);
        assertThat(ClusterHealth.quorumView(F, List.of(at(0, 3, 1), at(1, 4, 1), at(2, 5, 1),
                ReplicaStatus.unreachable(3)))).isEmpty();
    }
}
