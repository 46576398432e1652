package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryJson;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Decides whether one key's history is linearizable: a depth-first search for a sequential order
 * of its operations, each placed between its call and its return, that the register's
 * specification ({@link Effect}) accepts (Wing and Gong, as improved by Lowe), remembering the
 * configurations it entered ({@link SeenConfigurations}) so that none is explored twice.
 *
 * <p>An operation whose outcome is unknown has no return: it may be placed anywhere after its
 * call, and once every answered operation is placed the rest can go last, where taking effect
 * changes nothing anyone saw. So the search ends when every answered operation is placed.
 *
 * <p>The search counts steps (an operation tried in a configuration) and stops at a limit: it
 * then says {@link Verdict#UNDECIDED}, never linearizable. The memo grows by at most one entry a
 * step, so the limit also bounds memory.
 */
final class LinearizationSearch {

    private enum Outcome { FOUND, EXHAUSTED, GAVE_UP }

    private final KeyHistory history;
    private final List<Operation> operations;
    private final EventList events;
    private final long maxSteps;
    private final SeenConfigurations seen;
    private final BitSet linearized;
    /** The linearized operations in order, and the state before each: the stack to backtrack on. */
    private final int[] order;
    private final int[] stateBefore;
    private int depth;
    private int state;
    /** Answered operations not yet linearized. */
    private int pending;
    /** The event the walk is at, and the pass it is in. */
    private int event;
    private Pass pass;
    private long steps;
    private DeadEnd deepest;

    private LinearizationSearch(KeyHistory history, long maxSteps) {
        this.history = history;
        this.operations = history.operations;
        this.events = new EventList(operations);
        this.maxSteps = maxSteps;
        this.seen = new SeenConfigurations(history.answered);
        this.linearized = new BitSet(operations.size());
        this.order = new int[operations.size()];
        this.stateBefore = new int[operations.size()];
    }

    static KeyResult check(KeyHistory history, long maxSteps) {
        return new LinearizationSearch(history, maxSteps).run();
    }

    private KeyResult run() {
        for (int initial : history.initialStates) {
            Outcome outcome = searchFrom(initial);
            if (outcome == Outcome.FOUND) {
                return result(Verdict.LINEARIZABLE, List.of());
            }
            if (outcome == Outcome.GAVE_UP) {
                return result(Verdict.UNDECIDED, List.of("  the search stopped at its limit of " + maxSteps + " steps"));
            }
        }
        return result(Verdict.NOT_LINEARIZABLE,
                deepest.describe(history.values, history.initialStates, operations.size()));
    }

    private KeyResult result(Verdict verdict, List<String> details) {
        return new KeyResult(history.key, operations.size(), verdict, details);
    }

    /**
     * Lowe's loop: walk the events, trying each open operation in call order, in three passes
     * ({@link Pass}); linearize the first that fits and start again from the first event. Reaching
     * a return in the last pass means that operation could not be placed: undo the last choice
     * and try the operation after it.
     */
    private Outcome searchFrom(int initial) {
        state = initial;
        pending = history.answered;
        seen.add(linearized, state);
        restartWalk();
        while (pending > 0) {
            if (events.isReturn(event) && pass != Pass.UNKNOWN) { // this pass found nothing: the next
                pass = pass == Pass.STILL ? Pass.ANSWERED : Pass.UNKNOWN;
                event = events.first();
            } else if (events.isReturn(event)) { // no pass found anything: a dead end
                noteDeadEnd(initial, event);
                if (!backtrack()) {
                    return Outcome.EXHAUSTED;
                }
            } else if (!triedInThisPass(events.operation(event))) {
                event = events.next(event);
            } else if (++steps > maxSteps) {
                return Outcome.GAVE_UP;
            } else if (tryLinearize(events.operation(event))) {
                restartWalk();
            } else if (pass != Pass.STILL) {
                event = events.next(event);
            } else if (!backtrack()) { // the one operation that decides this configuration failed
                return Outcome.EXHAUSTED;
            }
        }
        return Outcome.FOUND;
    }

    /**
     * The passes of the walk over the open operations of a configuration.
     *
     * <p>{@link #STILL}: an answered operation that never writes (a get, a compare-and-set that did
     * not swap) and that the state allows can always be linearized at once: any linearization that
     * places it later still works with it moved here, since it changes the state nowhere. So if
     * there is one, it alone is tried, and if it fails the configuration fails. (A delete of an
     * absent key does not qualify: where it stood later, it may have removed a value.)
     * Then {@link #ANSWERED} operations, then those of {@link #UNKNOWN} outcome, so that
     * configurations with fewer unknown operations come first and rule out those with more.
     */
    private enum Pass { STILL, ANSWERED, UNKNOWN }

    private boolean triedInThisPass(int op) {
        switch (pass) {
            case STILL:
                return leavesStateStill(op, state);
            case ANSWERED:
                return !isUnknown(op);
            default:
                return isUnknown(op);
        }
    }

    /** Whether {@code op} is answered, never writes, and accepts {@code from}. */
    private boolean leavesStateStill(int op, int from) {
        Effect effect = operations.get(op).effect();
        return !isUnknown(op) && effect.neverWrites() && effect.apply(from) != ValueTable.REJECTED;
    }

    private void restartWalk() {
        event = events.first();
        pass = Pass.STILL;
    }

    private boolean isUnknown(int op) {
        return op >= history.answered;
    }

    /** Linearizes {@code op} next if the state allows it and the configuration it leads to may succeed. */
    private boolean tryLinearize(int op) {
        Effect effect = operations.get(op).effect();
        int after = effect.apply(state);
        if (after == ValueTable.REJECTED || erasesUnknown(effect)) {
            return false;
        }
        linearized.set(op);
        if (seen.covers(linearized, after)) {
            linearized.clear(op);
            return false;
        }
        seen.add(linearized, after);
        order[depth] = op;
        stateBefore[depth++] = state;
        state = after;
        events.lift(op);
        if (!isUnknown(op)) {
            pending--;
        }
        return true;
    }

    /**
     * Whether {@code effect} is a put or delete that would come right after an operation of unknown
     * outcome. It would erase every trace of that operation, so the same order without it explains
     * the history as well, and the search tries that order instead. (An unknown operation that left
     * the state as it was is never on the stack: its configuration is covered by the one before.)
     */
    private boolean erasesUnknown(Effect effect) {
        return effect instanceof Effect.Write && depth > 0 && isUnknown(order[depth - 1]);
    }

    /**
     * Takes back the last linearized operation and walks on after it, in its pass; takes back more
     * while the one taken back was the only one its configuration had to try. False when nothing
     * is left to take back: the search failed.
     */
    private boolean backtrack() {
        while (depth > 0) {
            int op = order[--depth];
            state = stateBefore[depth];
            linearized.clear(op);
            events.restore(op);
            if (!isUnknown(op)) {
                pending++;
            }
            if (!leavesStateStill(op, state)) {
                pass = isUnknown(op) ? Pass.UNKNOWN : Pass.ANSWERED;
                event = events.next(events.callOf(op));
                return true;
            }
        }
        return false;
    }

    /** Keeps the deepest point at which the search got stuck, to explain a violation. */
    private void noteDeadEnd(int initial, int returnEvent) {
        if (deepest != null && depth <= deepest.linearized()) {
            return;
        }
        List<Operation> open = new ArrayList<>();
        int moreOpen = 0;
        // Every event before the first return still in the list is a call: an open operation.
        for (int e = events.first(); e != returnEvent; e = events.next(e)) {
            if (open.size() < DeadEnd.MOST_SHOWN) {
                open.add(operations.get(events.operation(e)));
            } else {
                moreOpen++;
            }
        }
        List<Operation> last = new ArrayList<>();
        for (int i = Math.max(0, depth - DeadEnd.LAST_LINEARIZED_SHOWN); i < depth; i++) {
            last.add(operations.get(order[i]));
        }
        Operation deadline = operations.get(events.operation(returnEvent));
        deepest = new DeadEnd(initial, depth, last, state, holds(initial), deadline, open, moreOpen);
    }

    /** The current state in words, naming the value that the last write on the stack wrote. */
    private String holds(int initial) {
        for (int i = depth - 1; i >= 0; i--) {
            Operation op = operations.get(order[i]);
            if (op.effect().writes(stateBefore[i])) {
                String value = op.source().entry().op().value();
                return value == null ? "the key is absent" : "the key holds " + HistoryJson.quote(value);
            }
        }
        return initial == ValueTable.ABSENT ? "the key is absent"
                : "the key holds " + history.values.describeInitial(initial);
    }
}
