package io.pbft.chaos.check.history;

import java.util.Arrays;
import java.util.List;

/**
 * The calls and returns of one key's operations in time order, as a doubly linked list over
 * arrays from which the search lifts an operation it linearizes (its call and its return) and
 * puts it back when it backtracks, in the reverse order (Lowe's variant of Wing and Gong). An
 * operation whose outcome is unknown has no return event: nothing forces it to take effect.
 *
 * <p>At equal times a call comes before a return, so operations that merely touch count as
 * concurrent: the clock's resolution cannot order them.
 */
final class EventList {

    private final int head;
    private final int tail;
    private final int[] next;
    private final int[] previous;
    private final int[] operationOf;
    private final boolean[] isReturn;
    private final int[] callEvent;
    private final int[] returnEvent;

    EventList(List<Operation> operations) {
        int count = operations.size();
        long[][] events = events(operations);
        int size = events.length;
        head = size;
        tail = size + 1;
        next = new int[size + 2];
        previous = new int[size + 2];
        operationOf = new int[size];
        isReturn = new boolean[size];
        callEvent = new int[count];
        returnEvent = new int[count];
        Arrays.fill(returnEvent, -1);
        for (int e = 0; e < size; e++) {
            int op = (int) events[e][2];
            operationOf[e] = op;
            isReturn[e] = events[e][1] == 1;
            (isReturn[e] ? returnEvent : callEvent)[op] = e;
            previous[e] = e == 0 ? head : e - 1;
            next[e] = e == size - 1 ? tail : e + 1;
        }
        next[head] = size == 0 ? tail : 0;
        previous[tail] = size == 0 ? head : size - 1;
    }

    /** Each event as {time, 0 for a call or 1 for a return, operation}, sorted. */
    private static long[][] events(List<Operation> operations) {
        long[][] events = new long[2 * operations.size()][];
        int size = 0;
        for (int op = 0; op < operations.size(); op++) {
            Operation operation = operations.get(op);
            events[size++] = new long[] {operation.callNanos(), 0, op};
            if (operation.mustTakeEffect()) {
                events[size++] = new long[] {operation.returnNanos(), 1, op};
            }
        }
        long[][] used = Arrays.copyOf(events, size);
        Arrays.sort(used, (a, b) -> Arrays.compare(a, b));
        return used;
    }

    int first() {
        return next[head];
    }

    int next(int event) {
        return next[event];
    }

    boolean isEnd(int event) {
        return event == tail;
    }

    boolean isReturn(int event) {
        return isReturn[event];
    }

    int operation(int event) {
        return operationOf[event];
    }

    int callOf(int operation) {
        return callEvent[operation];
    }

    void lift(int operation) {
        unlink(callEvent[operation]);
        if (returnEvent[operation] >= 0) {
            unlink(returnEvent[operation]);
        }
    }

    void restore(int operation) {
        if (returnEvent[operation] >= 0) {
            relink(returnEvent[operation]);
        }
        relink(callEvent[operation]);
    }

    private void unlink(int event) {
        next[previous[event]] = next[event];
        previous[next[event]] = previous[event];
    }

    private void relink(int event) {
        next[previous[event]] = event;
        previous[next[event]] = event;
    }
}
