package io.pbft.chaos.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeds that once broke the view change, each kept with what it showed (found by long sweeps of
 * {@link ViewChangeProperties}, and replayed here through the same scenarios); they must keep
 * passing whatever seed range the properties run.
 */
class ViewChangeRegressions {

    private final ViewChangeProperties properties = new ViewChangeProperties();

    /**
     * Two backups believed themselves behind (a silent primary's last status and one correct peer
     * said so) and so never voted, but what they lacked only a view change could bring.
     */
    @Test
    void backupsThatThinkThemselvesBehindStillVoteWhenTheyMakeNoProgress() {
        properties.aSilentPrimaryIsReplaced(51137);
    }

    /**
     * A faulty replica's own core prepared a batch in view 1 (its prepare never went out); the batch
     * that committed in view 2 differed, legitimately: only an earlier view's preparation differed.
     */
    @Test
    void aBatchPreparedInAnEarlierViewMayDifferFromTheOneThatCommittedLater() {
        properties.oldMessagesReplayedAfterTheViewChangeCountForNothing(51814);
    }

    /**
     * f = 2 with two silent primaries leaves exactly 2f + 1 correct replicas. Two of them had
     * executed a batch the others still lacked; re-issued in each new view, it never gathered the
     * five commits it needed, because the two missed the prepares of the new view. A replica now
     * commits at once to a carried-over batch it committed before.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {50241, 51310, 51837, 51923})
    void replicasThatExecutedACarriedOverBatchCommitToItAtOnceInTheNewView(long seed) {
        properties.fConsecutiveFaultyPrimariesAreReplacedInTurn(seed);
    }
}
