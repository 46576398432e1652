package io.pbft.chaos.check.history;

import io.pbft.chaos.check.history.Effect.CasOutcome;
import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.OpKind;
import io.pbft.cli.workload.OpStatus;
import io.pbft.cli.workload.PlannedOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The operations of one key that matter to linearizability, and the states the key may have
 * started in.
 *
 * <p>Left out: failed operations (they never took effect) and gets whose outcome is unknown
 * (they change nothing and their answer is not known).
 *
 * <p>The initial state: keys outlive a run, so a key may start with a value of an earlier run.
 * Values are unique per run, so the only way to hold a value that no line of this file writes
 * (whatever its status) is to have held it from the start. The candidates are therefore: absent;
 * each value the history reads or a compare-and-set expects that no line writes; and
 * {@link ValueTable#UNREAD}, standing for every other earlier value. The start is one fixed state,
 * so two different earlier values cannot both be read.
 */
final class KeyHistory {

    /** Answered first (by status, not by the time: an answered one may return at Long.MAX_VALUE). */
    private static final Comparator<Operation> BY_RETURN = Comparator.comparing((Operation op) -> !op.mustTakeEffect())
            .thenComparingLong(Operation::returnNanos)
            .thenComparingLong(Operation::callNanos);

    final String key;
    final ValueTable values;
    /**
     * The answered operations in return order, then those of unknown outcome in call order: see
     * {@link SeenConfigurations} and {@link LinearizationSearch} for why.
     */
    final List<Operation> operations = new ArrayList<>();
    /** How many operations must take effect: the first ones of {@link #operations}. */
    final int answered;
    final int[] initialStates;

    KeyHistory(String key, List<HistoryLine> lines) {
        this.key = key;
        Set<String> observed = observedValues(lines);
        this.values = new ValueTable(observed);
        for (HistoryLine line : lines) {
            Effect effect = effect(line.entry());
            if (effect != null) {
                HistoryEntry entry = line.entry();
                long returnNanos = entry.returned() ? entry.retNanos() : Operation.NEVER_RETURNED;
                operations.add(new Operation(line, entry.callNanos(), returnNanos, effect));
            }
        }
        operations.sort(BY_RETURN);
        this.answered = (int) operations.stream().filter(Operation::mustTakeEffect).count();
        this.initialStates = initialStates(lines, observed);
    }

    /** The values some operation of the history reads or expects, in the order they first appear. */
    private static Set<String> observedValues(List<HistoryLine> lines) {
        Set<String> observed = new LinkedHashSet<>();
        for (HistoryLine line : lines) {
            HistoryEntry entry = line.entry();
            if (entry.output() instanceof HistoryEntry.Output.Read read && read.value().isPresent()) {
                observed.add(read.value().get());
            }
            if (entry.op().kind() == OpKind.CAS && entry.op().expected() != null) {
                observed.add(entry.op().expected());
            }
        }
        return observed;
    }

    private int[] initialStates(List<HistoryLine> lines, Set<String> observed) {
        Set<String> earlier = new LinkedHashSet<>(observed);
        earlier.removeAll(writtenValues(lines));
        Set<Integer> states = new LinkedHashSet<>(List.of(ValueTable.ABSENT, ValueTable.UNREAD));
        earlier.forEach(value -> states.add(values.id(value)));
        return states.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Set<String> writtenValues(List<HistoryLine> lines) {
        Set<String> written = new HashSet<>();
        for (HistoryLine line : lines) {
            if (line.entry().op().value() != null) {
                written.add(line.entry().op().value());
            }
        }
        return written;
    }

    /** The effect, or null for an operation left out. */
    private Effect effect(HistoryEntry entry) {
        PlannedOp op = entry.op();
        if (entry.status() == OpStatus.FAIL || (entry.status() == OpStatus.UNKNOWN && op.kind() == OpKind.GET)) {
            return null;
        }
        switch (op.kind()) {
            case GET:
                return new Effect.Read(values.id(((HistoryEntry.Output.Read) entry.output()).value().orElse(null)));
            case PUT:
                return new Effect.Write(values.id(op.value()));
            case DELETE:
                return new Effect.Write(ValueTable.ABSENT);
            default:
                return new Effect.CompareAndSet(values.id(op.expected()), values.id(op.value()), outcome(entry));
        }
    }

    private static CasOutcome outcome(HistoryEntry entry) {
        if (entry.output() instanceof HistoryEntry.Output.Swapped swapped) {
            return swapped.success() ? CasOutcome.SWAPPED : CasOutcome.NOT_SWAPPED;
        }
        return CasOutcome.EITHER;
    }
}
