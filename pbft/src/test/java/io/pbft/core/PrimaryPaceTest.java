package io.pbft.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrimaryPaceTest {

    private static final SlowPrimaryDefence DEFENCE = new SlowPrimaryDefence(4, 25);

    @Test
    void withoutAgreementDelaysTheLimitIsTheFactorTimesTheFloor() {
        assertThat(new PrimaryPace(DEFENCE).limitMillis()).isEqualTo(100);
    }

    @Test
    void theLimitFollowsTheAgreementDelayOfTheNetworkAboveTheFloor() {
        PrimaryPace pace = new PrimaryPace(DEFENCE);
        for (long delay : new long[] {40, 50, 60, 1_000, 45}) {
            pace.recordAgreement(delay);
        }
        // median 50 ms of agreement: a correct primary orders within 2 x 50 ms; four times that is the limit.
        assertThat(pace.limitMillis()).isEqualTo(4 * 2 * 50);
    }

    @Test
    void aPrimaryIsTooSlowOnlyOnceEnoughOrderingDelaysHaveAMedianAboveTheLimit() {
        PrimaryPace pace = new PrimaryPace(DEFENCE);
        for (int i = 0; i < PrimaryPace.MIN_SAMPLES - 1; i++) {
            pace.recordOrdering(900);
        }
        assertThat(pace.tooSlow()).as("too few delays to judge").isFalse();
        pace.recordOrdering(900);
        assertThat(pace.tooSlow()).isTrue();
    }

    @Test
    void oneSlowRequestAmongFastOnesIsNoReasonToVote() {
        PrimaryPace pace = new PrimaryPace(DEFENCE);
        for (long delay : new long[] {5, 2_000, 7, 3, 1_500, 6, 4}) {
            pace.recordOrdering(delay);
        }
        assertThat(pace.tooSlow()).isFalse();
    }

    @Test
    void aPrimaryAsFastAsTheLimitIsNotTooSlow() {
        PrimaryPace pace = new PrimaryPace(DEFENCE);
        for (int i = 0; i < PrimaryPace.MIN_SAMPLES; i++) {
            pace.recordOrdering(100);
        }
        assertThat(pace.tooSlow()).isFalse();
        for (int i = 0; i <= PrimaryPace.MIN_SAMPLES; i++) {
            pace.recordOrdering(101); // now most of the delays are above the limit
        }
        assertThat(pace.tooSlow()).isTrue();
    }

    @Test
    void onlyTheLatestWindowOfDelaysCounts() {
        PrimaryPace pace = new PrimaryPace(DEFENCE);
        for (int i = 0; i < PrimaryPace.WINDOW; i++) {
            pace.recordOrdering(900);
        }
        for (int i = 0; i < PrimaryPace.WINDOW / 2 + 1; i++) {
            pace.recordOrdering(10);
        }
        assertThat(pace.tooSlow()).as("the primary got faster").isFalse();
    }

    @Test
    void aNewViewJudgesItsPrimaryAfresh() {
        PrimaryPace pace = new PrimaryPace(DEFENCE);
        for (int i = 0; i < PrimaryPace.MIN_SAMPLES; i++) {
            pace.recordOrdering(900);
        }
        pace.discardOrdering();
        assertThat(pace.tooSlow()).isFalse();
        pace.recordOrdering(900);
        assertThat(pace.tooSlow()).as("one delay of the new view says nothing yet").isFalse();
    }

    @Test
    void theDefenceTurnedOffNeverVotes() {
        PrimaryPace pace = new PrimaryPace(SlowPrimaryDefence.OFF);
        for (int i = 0; i < PrimaryPace.WINDOW; i++) {
            pace.recordOrdering(1_000_000);
        }
        assertThat(pace.tooSlow()).isFalse();
    }
}
