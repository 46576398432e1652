package io.pbft.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbft delete KEY}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Removes KEY from the replicated key-value store and prints the value it held.")
final class DeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IdentityOptions identity;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    public Integer call() throws Exception {
        try (ClientSession session = ClientSession.open(cluster, identity)) {
            Optional<String> previous = session.await(session.kv().delete(key));
            spec.commandLine().getOut().println(describe(key, previous));
            return ExitCodes.OK;
        }
    }

    static String describe(String key, Optional<String> previous) {
        return "delete " + Formats.quote(key) + " (previous: " + Formats.valueOrAbsent(previous) + ")";
    }
}
