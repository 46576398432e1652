package io.pbft.chaos.check;

import java.util.List;

/** One property of a run, judged on its recorded history after the run. */
public interface Checker {

    /** A short name used in violation messages: {@code Agreement}, {@code Liveness}. */
    String name();

    /** Every violation of the property in {@code history}; empty when it holds. */
    List<Violation> check(RunHistory history);
}
