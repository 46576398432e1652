package io.pbft.bench;

import io.pbft.cli.KeygenCommand;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options the cluster benchmarks share ({@code bench}, {@code bench-failover}, {@code bench-soak},
 * {@code bench-catchup}): the clients' timeout, the first port to try, and where the results file
 * goes. Each command has its own {@code --keys}, whose default suits what it measures.
 */
final class ClusterBenchOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--timeout-ms", defaultValue = "10000", paramLabel = "MILLIS",
            description = "Client timeout per operation (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--base-port", defaultValue = "7400", paramLabel = "PORT",
            description = "First port to try; the benchmark moves on by " + BenchSupport.PORT_STEP
                    + " while ports are taken (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where to write the results file (default: bench/results at the repository root).")
    Path output;

    /** Usage errors for values out of range, given the largest f the command will run. */
    void validate(int largestF) {
        if (timeoutMillis < 1) {
            throw new ParameterException(mixee.commandLine(), "--timeout-ms must be at least 1, was " + timeoutMillis);
        }
        int lastPort = basePort + KeygenCommand.CLIENT_PORT_OFFSET + 3 * largestF;
        if (basePort < 1 || lastPort > 65_535) {
            throw new ParameterException(mixee.commandLine(), "--base-port " + basePort + " puts ports outside"
                    + " 1-65535 (the last client port would be " + lastPort + ")");
        }
    }
}
