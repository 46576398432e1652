package io.pbft.chaos.check;

import java.util.Objects;

/**
 * One broken property: which checker found it and, in words a reader can act on, what happened
 * (replicas, sequence numbers, requests, simulated times).
 */
public record Violation(String checker, String message) {

    public Violation {
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return checker + ": " + message;
    }
}
