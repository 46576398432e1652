package io.pbft.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pbft get KEY}. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Reads KEY from the replicated key-value store: read-only (2f + 1 replicas answer alike"
                + " from their state, or the read is ordered), or ordered with --ordered.")
final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    IdentityOptions identity;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Option(names = "--ordered", description = "Order the read like a write instead of asking for a read-only answer.")
    boolean ordered;

    @Override
    public Integer call() throws Exception {
        try (ClientSession session = ClientSession.open(cluster, identity)) {
            Optional<String> value = session.await(ordered ? session.kv().getOrdered(key) : session.kv().get(key));
            spec.commandLine().getOut().println(describe(key, value));
            return ExitCodes.OK;
        }
    }

    static String describe(String key, Optional<String> value) {
        return "get " + Formats.quote(key) + ": " + Formats.valueOrAbsent(value);
    }
}
