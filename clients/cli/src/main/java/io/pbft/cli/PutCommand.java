package io.pbft.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbft put KEY VALUE}. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = "Writes VALUE under KEY in the replicated key-value store and prints the previous value.")
final class PutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IdentityOptions identity;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() throws Exception {
        try (ClientSession session = ClientSession.open(cluster, identity)) {
            Optional<String> previous = session.await(session.kv().put(key, value));
            spec.commandLine().getOut().println(describe(key, value, previous));
            return ExitCodes.OK;
        }
    }

    static String describe(String key, String value, Optional<String> previous) {
        return "put " + Formats.quote(key) + " = " + Formats.quote(value) + " (previous: "
                + Formats.valueOrAbsent(previous) + ")";
    }
}
