package io.pbft.chaos.check.history;

import io.pbft.cli.workload.HistoryJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of one key's history as small integers: the search compares and hashes states
 * millions of times, and an int does that cheaply where a string would not.
 *
 * <p>Every value that no operation reads or expects gets the one id {@link #UNREAD}: such values
 * are indistinguishable to everything that follows, and merging them lets the search recognise
 * configurations it has already ruled out.
 */
final class ValueTable {

    /** Not a state: what {@link Effect#apply} answers when the recorded output rules the state out. */
    static final int REJECTED = -1;
    /** The key does not exist. */
    static final int ABSENT = 0;
    /** Any value that no get reads and no compare-and-set expects: another run's, or an unread write's. */
    static final int UNREAD = 1;

    private final Set<String> observed;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>(Arrays.asList(null, null));

    /** {@code observed}: the values some operation reads or expects. */
    ValueTable(Set<String> observed) {
        this.observed = Set.copyOf(observed);
    }

    /** The id of {@code value}: {@link #ABSENT} for null, {@link #UNREAD} for a value nothing observes. */
    int id(String value) {
        if (value == null) {
            return ABSENT;
        }
        if (!observed.contains(value)) {
            return UNREAD;
        }
        return ids.computeIfAbsent(value, v -> {
            values.add(v);
            return values.size() - 1;
        });
    }

    /** The state in words: {@code absent}, a quoted value, or {@code a value nothing reads}. */
    String describe(int state) {
        if (state == ABSENT) {
            return "absent";
        }
        return state == UNREAD ? "a value nothing reads" : HistoryJson.quote(values.get(state));
    }

    /** An initial state in words: {@link #UNREAD} then stands for the values of earlier runs. */
    String describeInitial(int state) {
        return state == UNREAD ? "an earlier value nothing reads" : describe(state);
    }
}
