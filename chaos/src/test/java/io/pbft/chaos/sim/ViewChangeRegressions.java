package io.pbft.chaos.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Seeds that once broke the view change, each kept with what it showed (found by long sweeps of
 * {@link ViewChangeProperties}); they must keep passing. Each runs the lossy network of those
 * properties ({@code --loss 0.05 --duplicate 0.05 --reorder 0.02}).
 */
class ViewChangeRegressions {

    private static SimulationConfig lossy(long seed) {
        return SimulationConfig.defaults(seed).withNetwork(SimulationProperties.LOSSY.withReordering(0.02));
    }

    /**
     * Two backups believed themselves behind (a silent primary's last status and one correct peer
     * said so) and so never voted, but what they lacked only a view change could bring.
     */
    @Test
    void backupsThatThinkThemselvesBehindStillVoteWhenTheyMakeNoProgress() {
        SimulationProperties.assertPasses(lossy(51137).withBehaviour(0, "silent@803"));
    }

    /**
     * A faulty replica's own core prepared a batch in view 1 (its prepare never went out); the batch
     * that committed in view 2 differed, legitimately: only an earlier view's preparation differed.
     */
    @Test
    void aBatchPreparedInAnEarlierViewMayDifferFromTheOneThatCommittedLater() {
        SimulationProperties.assertPasses(lossy(51814).withBehaviour(0, "replay-old@666"));
    }

    /**
     * f = 2 with two silent primaries leaves exactly 2f + 1 correct replicas. Two of them had
     * executed a batch the others still lacked; re-issued in each new view, it never gathered the
     * five commits it needed, because the two missed the prepares of the new view. A replica now
     * commits at once to a carried-over batch it committed before.
     */
    @Test
    void replicasThatExecutedACarriedOverBatchCommitToItAtOnceInTheNewView() {
        for (long seed : new long[] {50241, 51310, 51837, 51923}) {
            SimulationResult result = SimulationProperties.assertPasses(
                    lossy(seed).withF(2).withBehaviour(0, "silent@" + faultAt(seed)).withBehaviour(1, "silent"));
            assertThat(result.views()).anySatisfy(view -> assertThat(view).isGreaterThanOrEqualTo(2));
        }
    }

    private static long faultAt(long seed) {
        return seed == 50241 ? 979 : seed == 51310 ? 990 : seed == 51837 ? 103 : 737;
    }
}
