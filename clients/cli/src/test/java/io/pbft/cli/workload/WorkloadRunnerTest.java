package io.pbft.cli.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.statemachine.kv.KeyValueStateMachine;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadRunnerTest {

    private final KeyValueStateMachine store = new KeyValueStateMachine();

    private static WorkloadRunner.Settings settings(boolean keepHistory) {
        return new WorkloadRunner.Settings("t1", 99, 4, OpMix.DEFAULT, 1_000, keepHistory);
    }

    @Test
    void runsExactlyTheBudgetAcrossAllClients() throws InterruptedException {
        List<InMemoryKv> clients = List.of(new InMemoryKv(store, 101), new InMemoryKv(store, 102),
                new InMemoryKv(store, 103));

        WorkloadResult result = WorkloadRunner.run(clients, Budget.ops(1_000), settings(true));

        assertThat(result.issued()).isEqualTo(1_000);
        assertThat(result.ok()).isEqualTo(1_000);
        assertThat(result.allOk()).isTrue();
        assertThat(result.latency().getTotalCount()).isEqualTo(1_000);
        assertThat(result.perKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
        assertThat(result.history()).hasSize(1_000)
                .allSatisfy(entry -> assertThat(entry.status()).isEqualTo(OpStatus.OK));
        assertThat(result.history().stream().map(HistoryEntry::client).collect(Collectors.toSet()))
                .isSubsetOf(101L, 102L, 103L);
    }

    @Test
    void valuesInTheHistoryAreUniqueAndGetsReadOnlyWrittenValues() throws InterruptedException {
        List<InMemoryKv> clients = List.of(new InMemoryKv(store, 1), new InMemoryKv(store, 2));

        WorkloadResult result = WorkloadRunner.run(clients, Budget.ops(600), settings(true));

        Set<String> written = new HashSet<>();
        for (HistoryEntry entry : result.history()) {
            if (entry.op().value() != null) {
                assertThat(written.add(entry.op().value())).as("unique value %s", entry.op().value()).isTrue();
            }
        }
        for (HistoryEntry entry : result.history()) {
            if (entry.output() instanceof HistoryEntry.Output.Read read && read.value().isPresent()) {
                assertThat(written).contains(read.value().get());
            }
        }
    }

    @Test
    void compareAndSetsThatExpectWhatTheClientSawSucceedSometimes() throws InterruptedException {
        WorkloadResult result = WorkloadRunner.run(List.of(new InMemoryKv(store, 1)), Budget.ops(500),
                settings(false));

        // One client alone: its cas always expects the current value, so every one swaps.
        assertThat(result.casSwapped()).isEqualTo(result.perKind().get(OpKind.CAS)).isPositive();
        assertThat(result.history()).as("not kept unless asked").isEmpty();
    }

    @Test
    void aRejectedOperationIsAFailureWithAReturnTime() throws InterruptedException {
        WorkloadResult result = WorkloadRunner.run(List.of(new InMemoryKv(store, 1).failEvery(10, false)),
                Budget.ops(100), settings(true));

        assertThat(result.failed()).isEqualTo(10);
        assertThat(result.unknown()).isZero();
        assertThat(result.ok()).isEqualTo(90);
        assertThat(result.allOk()).isFalse();
        assertThat(result.history()).filteredOn(e -> e.status() == OpStatus.FAIL).hasSize(10)
                .allSatisfy(e -> {
                    assertThat(e.returned()).isTrue();
                    assertThat(e.output()).isEqualTo(HistoryEntry.Output.NONE);
                });
    }

    @Test
    void aTimedOutOperationHasAnUnknownOutcomeAndNoReturnTime() throws InterruptedException {
        WorkloadResult result = WorkloadRunner.run(List.of(new InMemoryKv(store, 1).failEvery(4, true)),
                Budget.ops(40), settings(true));

        assertThat(result.unknown()).isEqualTo(10);
        assertThat(result.failed()).isZero();
        assertThat(result.latency().getTotalCount()).as("only answered operations have a latency").isEqualTo(30);
        assertThat(result.history()).filteredOn(e -> e.status() == OpStatus.UNKNOWN).hasSize(10)
                .allSatisfy(e -> assertThat(e.returned()).isFalse());
        assertThat(HistoryJson.toJson(result.history().stream()
                .filter(e -> e.status() == OpStatus.UNKNOWN).findFirst().orElseThrow())).doesNotContain("\"ret\"");
    }

    @Test
    void theSummaryNamesCountsPercentilesAndThroughput() throws InterruptedException {
        WorkloadResult result = WorkloadRunner.run(List.of(new InMemoryKv(store, 1)), Budget.ops(50),
                settings(false));

        assertThat(result.describe()).hasSize(3);
        assertThat(result.describe().get(0)).startsWith("operations: 50 completed, 0 failed, 0 unknown");
        assertThat(result.describe().get(1)).matches("latency: p50 \\d+\\.\\d{3} ms, p90 \\d+\\.\\d{3} ms,"
                + " p99 \\d+\\.\\d{3} ms, max \\d+\\.\\d{3} ms");
        assertThat(result.describe().get(2)).matches("throughput: \\d+\\.\\d ops/s \\(1 clients, \\d+\\.\\d{3} s\\)");
    }

    @Test
    void theListenerSeesEveryOperationAsTheHistoryRecordsIt() throws InterruptedException {
        List<HistoryEntry> settled = new CopyOnWriteArrayList<>();
        List<InMemoryKv> clients = List.of(new InMemoryKv(store, 1), new InMemoryKv(store, 2).failEvery(5, true));

        WorkloadResult result = WorkloadRunner.run(clients, Budget.ops(300), settings(true), settled::add);

        assertThat(settled).hasSize(300).containsExactlyInAnyOrderElementsOf(result.history());
    }

    @Test
    void anEmptyBudgetRunsNothing() throws InterruptedException {
        WorkloadResult result = WorkloadRunner.run(List.of(new InMemoryKv(store, 1)), Budget.ops(0), settings(true));

        assertThat(result.issued()).isZero();
        assertThat(result.latencySummary().count()).isZero();
    }
}
