package io.pbft.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbft get KEY}. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Reads KEY from the replicated key-value store (ordered like every other operation).")
final class GetCommand implements Callable<Integer> {

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
            Optional<String> value = session.await(session.kv().get(key));
            spec.commandLine().getOut().println(describe(key, value));
            return ExitCodes.OK;
        }
    }

    static String describe(String key, Optional<String> value) {
        return "get " + Formats.quote(key) + ": " + Formats.valueOrAbsent(value);
    }
}
