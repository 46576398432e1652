package io.pbft.chaos.check.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.cli.workload.HistoryJson;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Random histories of real registers pass; the same histories with one read from the future fail;
 * small histories with one output changed get the verdict of a brute-force search. Seeds differ
 * per run; a failure prints its seed and the command that replays it. More histories
 * with {@code -Dpbft.history.histories=20000}.
 */
class HistoryCheckerProperties {

    private static final int HISTORIES = Integer.getInteger("pbft.history.histories", 300);
    private static final long SEED = Long.getLong("pbft.seed", new SplittableRandom().nextLong());
    private static final String REPLAY =
            "replay: mvn -B -o -pl chaos -am test -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dtest=HistoryCheckerProperties -Dpbft.seed=" + SEED;

    @Test
    void historiesOfARealRegisterAreLinearizable() {
        for (int i = 0; i < HISTORIES; i++) {
            List<HistoryLine> lines = generate(new SplittableRandom(SEED + i));

            HistoryReport report = HistoryChecker.check(lines, HistoryChecker.DEFAULT_MAX_STEPS);

            assertThat(report.verdict()).as(() -> failure(report, lines)).isEqualTo(Verdict.LINEARIZABLE);
        }
    }

    @Test
    void aReadFromTheFutureIsCaught() {
        int corrupted = 0;
        for (int i = 0; i < HISTORIES; i++) {
            SplittableRandom random = new SplittableRandom(SEED + i);
            Optional<List<HistoryLine>> lines = RandomRegisterHistory.withReadFromTheFuture(generate(random), random);
            if (lines.isEmpty()) {
                continue;
            }
            corrupted++;
            HistoryReport report = HistoryChecker.check(lines.get(), HistoryChecker.DEFAULT_MAX_STEPS);

            assertThat(report.verdict()).as(() -> failure(report, lines.get())).isEqualTo(Verdict.NOT_LINEARIZABLE);
            assertThat(report.keys()).filteredOn(key -> key.verdict() != Verdict.LINEARIZABLE).hasSize(1);
        }
        assertThat(corrupted).as(REPLAY).isGreaterThan(HISTORIES / 2);
    }

    @Test
    void agreesWithABruteForceSearchOnSmallHistories() {
        int notLinearizable = 0;
        for (int i = 0; i < 10 * HISTORIES; i++) {
            SplittableRandom random = new SplittableRandom(SEED + i);
            List<HistoryLine> generated = RandomRegisterHistory.generate(random, 2 + random.nextInt(3),
                    1 + random.nextInt(4), 1, 0.2);
            List<HistoryLine> lines = RandomRegisterHistory.withOneOutputChanged(generated, random).orElse(generated);

            HistoryReport report = HistoryChecker.check(lines, HistoryChecker.DEFAULT_MAX_STEPS);

            Verdict expected = BruteForceLinearizability.linearizable(lines)
                    ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
            assertThat(report.verdict()).as(() -> failure(report, lines)).isEqualTo(expected);
            notLinearizable += expected == Verdict.NOT_LINEARIZABLE ? 1 : 0;
        }
        assertThat(notLinearizable).as(REPLAY).isBetween(HISTORIES, 9 * HISTORIES);
    }

    @Test
    void aLongBusyHistoryIsDecidedWithinTheDefaultLimit() {
        List<HistoryLine> lines = RandomRegisterHistory.generate(new SplittableRandom(SEED), 8, 500, 2, 0.01);

        HistoryReport report = HistoryChecker.check(lines, HistoryChecker.DEFAULT_MAX_STEPS);

        assertThat(report.verdict()).as(() -> failure(report, List.of())).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.operations()).isEqualTo(4_000);
    }

    private static List<HistoryLine> generate(SplittableRandom random) {
        return RandomRegisterHistory.generate(random, 2 + random.nextInt(4), 5 + random.nextInt(30),
                1 + random.nextInt(3), 0.05);
    }

    private static String failure(HistoryReport report, List<HistoryLine> lines) {
        String history = lines.stream().map(line -> HistoryJson.toJson(line.entry())).collect(Collectors.joining("\n"));
        return REPLAY + "\n" + String.join("\n", report.lines()) + "\nhistory:\n" + history;
    }
}
