package io.pbft.chaos.check.history;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the search got furthest before every way on failed: the operations it had linearized
 * (the last few of them), the state they left, and the operations open at that point, one of
 * which ({@code deadline}) had to take effect before its return.
 *
 * @param holds the state in words, naming the value even where {@link ValueTable} merged it
 *     into {@link ValueTable#UNREAD}: {@code the key holds "v"}
 * @param open the open operations, in call order, at most {@link #MOST_SHOWN}
 * @param moreOpen how many more were open
 */
record DeadEnd(int initialState, int linearized, List<Operation> lastLinearized, int state, String holds,
        Operation deadline, List<Operation> open, int moreOpen) {

    static final int MOST_SHOWN = 8;
    static final int LAST_LINEARIZED_SHOWN = 3;

    /** The report's indented lines, stating the initial states tried and the total of operations. */
    List<String> describe(ValueTable values, int[] initialStatesTried, int operations) {
        List<String> lines = new ArrayList<>();
        if (linearized == 0) {
            lines.add("  from initial state " + values.describeInitial(initialState)
                    + ", no operation open at the start can be first:");
        } else {
            lines.add("  from initial state " + values.describeInitial(initialState) + ", at most " + linearized + " of " + operations
                    + " operations linearize, ending with:");
            lastLinearized.forEach(op -> lines.add("    " + OperationText.describe(op.source())));
            lines.add("  then " + holds + ", and no open operation can come next:");
        }
        for (Operation op : open) {
            lines.add("    " + OperationText.describe(op.source()) + ": " + why(op));
        }
        if (moreOpen > 0) {
            lines.add("    and " + moreOpen + " more");
        }
        lines.add("  initial states tried: " + initialStates(values, initialStatesTried));
        return lines;
    }

    private String why(Operation op) {
        String why = op.effect().apply(state) == ValueTable.REJECTED
                ? "impossible while " + holds
                : "every order that follows fails";
        return op == deadline ? why + "; and it must take effect before its return" : why;
    }

    private static String initialStates(ValueTable values, int[] states) {
        List<String> names = new ArrayList<>();
        for (int state : states) {
            names.add(values.describeInitial(state));
        }
        return String.join(", ", names);
    }
}
