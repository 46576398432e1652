package io.pbft.cli;

import io.pbft.statemachine.kv.KvResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbft cas KEY NEW (--expect OLD | --expect-absent)}. */
@Command(name = "cas", mixinStandardHelpOptions = true,
        description = {"Compare-and-set: writes NEW under KEY only if KEY holds the expected value"
                + " (or, with --expect-absent, does not exist).",
                "Exit code 0 when the value was written, 3 when KEY held something else."})
final class CasCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IdentityOptions identity;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "NEW")
    String newValue;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Expectation expectation;

    /** Exactly one of the two. */
    static final class Expectation {
        @Option(names = "--expect", paramLabel = "OLD", required = true,
                description = "The value KEY must hold.")
        String value;

        @Option(names = "--expect-absent", required = true, description = "KEY must not exist.")
        boolean absent;
    }

    /** The expected value, null meaning "must not exist". */
    String expectedOrNull() {
        return expectation.absent ? null : expectation.value;
    }

    @Override
    public Integer call() throws Exception {
        try (ClientSession session = ClientSession.open(cluster, identity)) {
            KvResult.CasOutcome outcome = session.await(session.kv().cas(key, expectedOrNull(), newValue));
            spec.commandLine().getOut().println(describe(key, outcome));
            return outcome.success() ? ExitCodes.OK : ExitCodes.NOT_APPLIED;
        }
    }

    static String describe(String key, KvResult.CasOutcome outcome) {
        return "cas " + Formats.quote(key) + ": " + (outcome.success() ? "swapped" : "not swapped")
                + ", now " + Formats.valueOrAbsent(outcome.current());
    }
}
