package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryEntry;
import io.pbft.cli.workload.OpKind;
import io.pbft.cli.workload.OpStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An independent oracle for small histories: tries every order of one key's operations that
 * respects real time, on string states, with none of the checker's pruning. Exponential; for
 * histories of a dozen operations at most.
 */
final class BruteForceLinearizability {

    /** A value no line mentions: the key's start when it held another run's value. */
    private static final String EARLIER = "\u0000earlier";
    /** The key does not exist (null stands for "rejected" here). */
    private static final String ABSENT = "\u0000absent";

    private final List<HistoryEntry> ops = new ArrayList<>();

    private BruteForceLinearizability(List<HistoryLine> lines) {
        for (HistoryLine line : lines) {
            HistoryEntry entry = line.entry();
            boolean unknownGet = entry.status() == OpStatus.UNKNOWN && entry.op().kind() == OpKind.GET;
            if (entry.status() != OpStatus.FAIL && !unknownGet) {
                ops.add(entry);
            }
        }
    }

    /** Whether the operations of one key are linearizable from some allowed initial state. */
    static boolean linearizable(List<HistoryLine> oneKey) {
        BruteForceLinearizability search = new BruteForceLinearizability(oneKey);
        for (String initial : initialStates(oneKey)) {
            if (search.extends_(initial, new boolean[search.ops.size()])) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> initialStates(List<HistoryLine> lines) {
        Set<String> states = new LinkedHashSet<>();
        states.add(ABSENT);
        states.add(EARLIER);
        Set<String> written = new HashSet<>();
        for (HistoryLine line : lines) {
            HistoryEntry entry = line.entry();
            written.add(entry.op().value());
            if (entry.op().kind() == OpKind.CAS) {
                states.add(orAbsent(entry.op().expected()));
            }
            if (entry.output() instanceof HistoryEntry.Output.Read read) {
                states.add(orAbsent(read.value().orElse(null)));
            }
        }
        states.removeAll(written);
        return states;
    }

    private boolean extends_(String state, boolean[] done) {
        if (allAnsweredDone(done)) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (done[i] || !mayGoNext(i, done)) {
                continue;
            }
            HistoryEntry op = ops.get(i);
            String after = apply(op, state);
            if (after == null) {
                continue;
            }
            done[i] = true;
            boolean found = extends_(after, done);
            done[i] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    private boolean allAnsweredDone(boolean[] done) {
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && ops.get(i).status() == OpStatus.OK) {
                return false;
            }
        }
        return true;
    }

    /** No answered operation still to place returned before {@code i} was called. */
    private boolean mayGoNext(int i, boolean[] done) {
        for (int j = 0; j < ops.size(); j++) {
            HistoryEntry other = ops.get(j);
            if (!done[j] && j != i && other.returned() && other.status() == OpStatus.OK
                    && other.retNanos() < ops.get(i).callNanos()) {
                return false;
            }
        }
        return true;
    }

    /** The state after {@code op}, or null when its recorded output rules {@code state} out. */
    private static String apply(HistoryEntry op, String state) {
        switch (op.op().kind()) {
            case GET:
                return state.equals(readValue(op)) ? state : null;
            case PUT:
                return op.op().value();
            case DELETE:
                return ABSENT;
            default:
                return cas(op, state);
        }
    }

    private static String cas(HistoryEntry op, String state) {
        boolean matches = state.equals(orAbsent(op.op().expected()));
        if (op.output() instanceof HistoryEntry.Output.Swapped swapped && swapped.success() != matches) {
            return null;
        }
        return matches ? op.op().value() : state;
    }

    private static String readValue(HistoryEntry op) {
        return orAbsent(((HistoryEntry.Output.Read) op.output()).value().orElse(null));
    }

    private static String orAbsent(String value) {
        return value == null ? ABSENT : value;
    }
}
