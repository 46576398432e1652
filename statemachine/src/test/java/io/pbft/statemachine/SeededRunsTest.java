package io.pbft.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class SeededRunsTest {

    @Test
    void failureNamesTheSeedAndAReplayCommandForThisTest(TestInfo test) {
        assertThatThrownBy(() -> SeededRuns.forEachSeed(test, 3, random -> {
                    throw new AssertionError("boom");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed ")
                .hasMessageContaining("-Dtest=SeededRunsTest#failureNamesTheSeedAndAReplayCommandForThisTest")
                .hasMessageContaining("-Dpbft.seed=")
                .hasRootCauseMessage("boom");
    }

    @Test
    void runsTheRequestedNumberOfTriesWithDifferentSeeds(TestInfo test) {
        List<Long> firstDraws = new ArrayList<>();
        SeededRuns.forEachSeed(test, 5, random -> firstDraws.add(random.nextLong()));

        int expected = System.getProperty(SeededRuns.SEED_PROPERTY) == null ? 5 : 1;
        assertThat(firstDraws).hasSize(expected).doesNotHaveDuplicates();
    }
}
