package io.pbft.chaos.check;

import io.pbft.statemachine.StateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The standard set of checkers a simulation run is judged by. */
public final class Checkers {

    private Checkers() {}

    /** Safety (agreement, total order, exactly-once, checkpoints, states, linearizability) and liveness. */
    public static List<Checker> all(Supplier<? extends StateMachine> model) {
        return List.of(
                new AgreementChecker(),
                new TotalOrderChecker(),
                new ExactlyOnceChecker(),
                new CheckpointAgreementChecker(),
                new StateChecker(model),
                new LinearizabilityChecker(model),
                new LivenessChecker());
    }

    /** Runs every checker and collects the violations, in checker order. */
    public static List<Violation> run(List<Checker> checkers, RunHistory history) {
        List<Violation> violations = new ArrayList<>();
        for (Checker checker : checkers) {
            violations.addAll(checker.check(history));
        }
        return violations;
    }
}
