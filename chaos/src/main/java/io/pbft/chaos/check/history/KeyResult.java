package io.pbft.chaos.check.history;

import java.util.List;
import java.util.Objects;

/**
 * The verdict on one key.
 *
 * @param operations how many of the key's operations the search considered (failed operations
 *     and gets of unknown outcome are left out)
 * @param details for a key that is not linearizable, where the search got stuck; for an
 *     undecided one, the limit it hit; empty otherwise
 */
public record KeyResult(String key, int operations, Verdict verdict, List<String> details) {

    public KeyResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(verdict, "verdict");
        details = List.copyOf(details);
    }
}
