package io.pbft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FailoverReportTest {

    private static final MachineInfo MACHINE =
            new MachineInfo(2, "test cpu", "1 GiB", "test os", "0.00 0.00 0.00", List.of("java 17"));
    private static final String COMMAND = "scripts/pbft bench-failover --f-list 1,2,3 --rounds 3";

    @Test
    void theSummaryHasARowPerFWithTheMedianAndMaxOfTheRoundsThatFailedOver() {
        FailoverReport report = report(round(1, 1, 3_000), round(1, 2, 2_000), round(1, 3, 4_000),
                round(2, 1, 2_000), round(2, 2, 3_001), noFailover(2, 3));

        List<String> table = report.summaryTable();

        assertThat(table).hasSize(4);
        assertThat(table.get(0)).startsWith("| f | n | rounds | failed over | median failover (ms) |");
        assertThat(table.get(2)).isEqualTo("| 1 | 4 | 3 | 3 | 3000 | 4000 | 2000 | 500 |");
        assertThat(table.get(3)).isEqualTo("| 2 | 7 | 3 | 2 | 2501 | 3001 | 2000 | 500 |");
    }

    @Test
    void anFWithoutAnyFailoverSaysSoInsteadOfANumber() {
        FailoverReport report = report(noFailover(3, 1));

        assertThat(report.summaryTable().get(2))
                .isEqualTo("| 3 | 10 | 1 | 0 | no failover within 30 s | no failover within 30 s | 2000 | 500 |");
        assertThat(report.roundsTable().get(2)).contains("| no failover within 30 s |");
        assertThat(report.allOk()).isFalse();
    }

    @Test
    void theRoundsTableShowsEachRoundInTheOrderItRan() {
        FailoverReport report = report(round(1, 1, 2_712), round(2, 1, 2_950));

        assertThat(report.roundsTable()).hasSize(4);
        assertThat(report.roundsTable().get(2)).isEqualTo(
                "| 1 | 4 | 1 | replica 0 (view 0) | 2712 | 2712 | 100 | 0 | 0 | 3 replicas work in view 1 |");
        assertThat(report.roundsTable().get(3)).startsWith("| 2 | 7 | 1 |");
        assertThat(report.allOk()).isTrue();
    }

    @Test
    void aRoundWithAnOperationOfUnknownOutcomeIsNotAllOk() {
        FailoverRound unknown = new FailoverRound(1, 1, 0, 0, OptionalLong.of(3_000_000_000L), 3_000_000_000L, 100,
                0, 1, "3 replicas work in view 1");

        assertThat(report(unknown).allOk()).isFalse();
    }

    @Test
    void theMarkdownNamesTheCommandAndSaysWhatTheFigureContains() {
        String markdown = report(round(1, 1, 3_000)).markdown();

        assertThat(markdown).contains("- command: `" + COMMAND + "`")
                .contains("- setup line")
                .contains("## Results")
                .contains("## Rounds")
                .contains("client's retransmit interval (500 ms")
                .contains("view-change timeout (2000 ms");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheTwoInTheMiddle() {
        assertThat(FailoverReport.median(List.of(5L))).isEqualTo(5);
        assertThat(FailoverReport.median(List.of(1L, 2L, 9L))).isEqualTo(2);
        assertThat(FailoverReport.median(List.of(1L, 2L, 4L, 9L))).isEqualTo(3);
    }

    private static FailoverReport report(FailoverRound... rounds) {
        return new FailoverReport(new RunHeader(COMMAND, "2026-12-05", MACHINE), List.of("setup line"),
                new ArrayList<>(List.of(rounds)), 2_000, 500, 30);
    }

    private static FailoverRound round(int f, int round, long failoverMillis) {
        long nanos = failoverMillis * 1_000_000;
        return new FailoverRound(f, round, 0, 0, OptionalLong.of(nanos), nanos, 100, 0, 0,
                "3 replicas work in view 1");
    }

    private static FailoverRound noFailover(int f, int round) {
        return new FailoverRound(f, round, 0, 0, OptionalLong.empty(), 9_000_000_000L, 50, 0, 4,
                "3 replicas are changing view");
    }
}
