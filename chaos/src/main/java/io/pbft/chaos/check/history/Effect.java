package io.pbft.chaos.check.history;

import static io.pbft.chaos.check.history.ValueTable.REJECTED;

/**
 * What one operation does to a key, and what its recorded output says about the state it saw:
 * the sequential specification of a register, the key-value store restricted to one key
 * ({@code KeyValueStateMachine}). States are {@link ValueTable} ids.
 */
sealed interface Effect {

    /** The state after this operation from {@code state}, or {@link ValueTable#REJECTED}. */
    int apply(int state);

    /** Whether, applied to {@code state}, it writes its value (a put, a delete, a cas that swaps). */
    boolean writes(int state);

    /** Whether it never writes, wherever it is placed: a get, or a cas recorded as not swapping. */
    boolean neverWrites();

    /** An answered get: it saw {@code value}. */
    record Read(int value) implements Effect {
        @Override
        public int apply(int state) {
            return state == value ? state : REJECTED;
        }

        @Override
        public boolean writes(int state) {
            return false;
        }

        @Override
        public boolean neverWrites() {
            return true;
        }
    }

    /** A put of {@code value}, or a delete (a write of {@link ValueTable#ABSENT}): no output to contradict. */
    record Write(int value) implements Effect {
        @Override
        public int apply(int state) {
            return value;
        }

        @Override
        public boolean writes(int state) {
            return true;
        }

        @Override
        public boolean neverWrites() {
            return false;
        }
    }

    /** A compare-and-set; {@code expected} is {@link ValueTable#ABSENT} when the key must not exist. */
    record CompareAndSet(int expected, int newValue, CasOutcome outcome) implements Effect {
        @Override
        public int apply(int state) {
            boolean matches = state == expected;
            switch (outcome) {
                case SWAPPED:
                    return matches ? newValue : REJECTED;
                case NOT_SWAPPED:
                    return matches ? REJECTED : state;
                default:
                    return matches ? newValue : state;
            }
        }

        @Override
        public boolean writes(int state) {
            return state == expected;
        }

        @Override
        public boolean neverWrites() {
            return outcome == CasOutcome.NOT_SWAPPED;
        }
    }

    /** What the history says a compare-and-set did. */
    enum CasOutcome {
        SWAPPED,
        NOT_SWAPPED,
        /** Its outcome is unknown: if it took effect, it swapped exactly when the value matched. */
        EITHER
    }
}
