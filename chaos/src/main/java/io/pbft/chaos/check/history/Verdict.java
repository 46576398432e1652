package io.pbft.chaos.check.history;

/** What the checker concluded, for one key or a whole history. */
public enum Verdict {
    /** Some order of the operations explains every answer and respects real time. */
    LINEARIZABLE,
    /** No such order exists. */
    NOT_LINEARIZABLE,
    /** The search hit its step limit before it found an order or ruled every order out. */
    UNDECIDED
}
