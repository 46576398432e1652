package io.pbft.chaos.check.history;

import static io.pbft.chaos.check.history.Verdict.LINEARIZABLE;
import static io.pbft.chaos.check.history.Verdict.NOT_LINEARIZABLE;
import static io.pbft.chaos.check.history.Verdict.UNDECIDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pbft.cli.workload.OpStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {

    @Test
    void aReadAfterAWriteSeesIt() {
        assertThat(new HistoryBuilder().put("a", 0, 10).get("a", 20, 30).verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void aStaleReadAfterACompletedWriteIsNotLinearizable() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10).put("b", 20, 30).by(2).get("a", 40, 50);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeTheOldOrTheNewValue() {
        HistoryBuilder before = new HistoryBuilder().put("a", 0, 10).put("b", 20, 60).by(2).get("a", 30, 40);
        HistoryBuilder after = new HistoryBuilder().put("a", 0, 10).put("b", 20, 60).by(2).get("b", 30, 40);

        assertThat(before.verdict()).isEqualTo(LINEARIZABLE);
        assertThat(after.verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void operationsThatMerelyTouchCountAsConcurrent() {
        // The get is called at the very nanosecond the put returns: either may have come first.
        assertThat(new HistoryBuilder().put("a", 0, 10).by(2).get(null, 10, 20).verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void concurrentWritesMayTakeEffectInEitherOrderButOnlyInOne() {
        HistoryBuilder agreeing = twoConcurrentWrites()
                .by(3).get("a", 10, 20).get("b", 30, 40)
                .by(4).get("a", 10, 20).get("b", 30, 40);
        HistoryBuilder opposite = twoConcurrentWrites()
                .by(3).get("a", 10, 20).get("b", 30, 40)
                .by(4).get("b", 10, 20).get("a", 30, 40);

        assertThat(agreeing.verdict()).isEqualTo(LINEARIZABLE);
        assertThat(opposite.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    private static HistoryBuilder twoConcurrentWrites() {
        return new HistoryBuilder().by(1).put("a", 0, 100).by(2).put("b", 0, 100);
    }

    @Test
    void aCasThatSwappedThoughTheValueDifferedIsNotLinearizable() {
        assertThat(new HistoryBuilder().put("a", 0, 10).cas("x", "c", true, 20, 30).verdict())
                .isEqualTo(NOT_LINEARIZABLE);
        assertThat(new HistoryBuilder().put("a", 0, 10).cas(null, "c", true, 20, 30).verdict())
                .isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void aCasSwapsExactlyWhenTheValueMatches() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10)
                .cas("x", "c", false, 20, 30)
                .cas("a", "b", true, 40, 50)
                .cas(null, "d", false, 60, 70)
                .get("b", 80, 90);

        assertThat(history.verdict()).isEqualTo(LINEARIZABLE);
        assertThat(new HistoryBuilder().put("a", 0, 10).cas("a", "b", false, 20, 30).verdict())
                .isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void twoCasSwapsFromTheSameValueAreALostUpdate() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10)
                .by(2).cas("a", "b", true, 20, 40)
                .by(3).cas("a", "c", true, 20, 40);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void aDeleteRemovesTheKey() {
        assertThat(new HistoryBuilder().put("a", 0, 10).delete(20, 30).get(null, 40, 50).verdict())
                .isEqualTo(LINEARIZABLE);
        assertThat(new HistoryBuilder().put("a", 0, 10).delete(20, 30).get("a", 40, 50).verdict())
                .isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownWriteWhoseValueIsReadMustHaveTakenEffect() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10).unknownPut("b", 20).by(2).get("b", 30, 40);

        assertThat(history.verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void anUnknownWriteMayNeverHaveTakenEffect() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10).unknownPut("b", 20).by(2).get("a", 30, 40);

        assertThat(history.verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void anUnknownWriteMayTakeEffectLongAfterItsClientMovedOn() {
        HistoryBuilder history = new HistoryBuilder().unknownPut("b", 20).put("c", 30, 40)
                .by(2).get("c", 50, 60).get("b", 70, 80);

        assertThat(history.verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void anUnknownWriteCannotTakeEffectBeforeItsCall() {
        HistoryBuilder history = new HistoryBuilder().by(2).get("b", 0, 10).by(1).unknownPut("b", 20);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownWriteTakesEffectAtMostOnce() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10).unknownPut("b", 20)
                .by(2).get("b", 30, 40).get("a", 50, 60);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void anUnknownCasSwapsOnlyIfTheValueMatchedWhenItTookEffect() {
        HistoryBuilder matched = new HistoryBuilder().put("a", 0, 10).unknownCas("a", "b", 20).get("b", 30, 40);
        HistoryBuilder differed = new HistoryBuilder().put("a", 0, 10).unknownCas("x", "b", 20).get("b", 30, 40);

        assertThat(matched.verdict()).isEqualTo(LINEARIZABLE);
        assertThat(differed.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void anAnsweredOperationReturningAtTheLastNanosecondMustStillTakeEffect() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10).by(2).get("b", 20, Long.MAX_VALUE);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void aFailedWriteNeverTookEffectAndItsValueIsNoInitialState() {
        HistoryBuilder history = new HistoryBuilder().failedPut("b", 0, 10).by(2).get("b", 20, 30);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void unknownGetsAndFailedOperationsAreLeftOut() {
        HistoryReport report = new HistoryBuilder().put("a", 0, 10).unknownGet(20).failedPut("b", 30, 40)
                .get("a", 50, 60).check();

        assertThat(report.verdict()).isEqualTo(LINEARIZABLE);
        assertThat(report.keys()).singleElement().satisfies(key -> assertThat(key.operations()).isEqualTo(2));
        assertThat(List.of(report.count(OpStatus.OK), report.count(OpStatus.FAIL), report.count(OpStatus.UNKNOWN)))
                .containsExactly(2, 1, 1);
    }

    @Test
    void aKeyMayStartWithAValueOfAnEarlierRun() {
        HistoryBuilder read = new HistoryBuilder().get("old", 0, 10).cas("old", "a", true, 20, 30).get("a", 40, 50);
        HistoryBuilder unread = new HistoryBuilder().cas(null, "a", false, 0, 10).get(null, 20, 30);

        assertThat(read.verdict()).isEqualTo(LINEARIZABLE);
        // Not absent (the cas found something), yet absent later with no delete: not linearizable.
        assertThat(unread.verdict()).isEqualTo(NOT_LINEARIZABLE);
        assertThat(new HistoryBuilder().cas(null, "a", false, 0, 10).verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void aKeyStartsWithOneValueOnly() {
        HistoryBuilder history = new HistoryBuilder().get("old-1", 0, 10).by(2).get("old-2", 20, 30);

        assertThat(history.verdict()).isEqualTo(NOT_LINEARIZABLE);
    }

    @Test
    void keysAreCheckedSeparatelyAndOnlyFailingKeysAreListed() {
        HistoryReport report = new HistoryBuilder()
                .on("good").put("a", 0, 10).get("a", 20, 30)
                .on("bad").put("a", 0, 10).put("b", 20, 30).get("a", 40, 50)
                .check();

        assertThat(report.verdict()).isEqualTo(NOT_LINEARIZABLE);
        assertThat(report.keys()).extracting(KeyResult::key, KeyResult::verdict)
                .containsExactly(tuple("bad", NOT_LINEARIZABLE), tuple("good", LINEARIZABLE));
        assertThat(String.join("\n", report.lines())).contains("key \"bad\"").doesNotContain("key \"good\"");
    }

    @Test
    void aViolationIsExplainedByWhereTheSearchGotStuck() {
        HistoryReport report = new HistoryBuilder().put("a", 0, 10).put("b", 20, 30).by(2).get("a", 40, 50).check();

        assertThat(report.lines()).containsExactly(
                "key \"k\": not linearizable (3 operations)",
                "  from initial state absent, at most 2 of 3 operations linearize, ending with:",
                "    line 1: put \"a\" by client 1 [call 0, ret 10]",
                "    line 2: put \"b\" by client 1 [call 20, ret 30]",
                "  then the key holds \"b\", and no open operation can come next:",
                "    line 3: get -> \"a\" by client 2 [call 40, ret 50]: impossible while the key holds \"b\";"
                        + " and it must take effect before its return",
                "  initial states tried: absent, an earlier value nothing reads",
                "3 operations (ok 3, fail 0, unknown 0) on 1 key: not linearizable (1 key not linearizable)");
    }

    @Test
    void theStepLimitMakesAKeyUndecidedNeverLinearizable() {
        HistoryBuilder history = new HistoryBuilder().put("a", 0, 10).put("b", 20, 30).get("b", 40, 50);

        HistoryReport report = HistoryChecker.check(history.lines(), 2);

        assertThat(report.verdict()).isEqualTo(UNDECIDED);
        assertThat(report.lines()).containsExactly(
                "key \"k\": undecided (3 operations)",
                "  the search stopped at its limit of 2 steps",
                "3 operations (ok 3, fail 0, unknown 0) on 1 key: undecided (1 key undecided)");
        assertThat(HistoryChecker.check(history.lines(), 3).verdict()).isEqualTo(LINEARIZABLE);
    }

    @Test
    void anEmptyHistoryIsLinearizable() {
        HistoryReport report = HistoryChecker.check(List.of(), 1);

        assertThat(report.verdict()).isEqualTo(LINEARIZABLE);
        assertThat(report.lines()).containsExactly("0 operations (ok 0, fail 0, unknown 0) on 0 keys: linearizable");
    }

    @Test
    void theStepLimitMustBePositive() {
        assertThatThrownBy(() -> HistoryChecker.check(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
