package io.pbft.cli;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every client command shares: which cluster, and how long to wait for it. Without
 * {@code --config} a command uses the local cluster that {@code scripts/cluster.sh start} runs,
 * whose config file {@code scripts/pbft} names in the system property {@value #DEFAULT_CONFIG_PROPERTY}
 * (or the environment variable {@value #DEFAULT_CONFIG_ENV}).
 */
public final class ClusterOptions {

    /** System property naming the default cluster config file. */
    public static final String DEFAULT_CONFIG_PROPERTY = "pbft.cluster.config";
    /** Environment variable naming the default cluster config file, if the property is not set. */
    public static final String DEFAULT_CONFIG_ENV = "PBFT_CLUSTER_CONFIG";
    /** The default of {@code --timeout-ms}. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The cluster config file (written by `pbft keygen`). Default: the local cluster of"
                    + " `scripts/cluster.sh start` (.cluster/cluster.properties at the repository root).")
    Path config;

    @Option(names = "--timeout-ms", paramLabel = "MILLIS", defaultValue = "" + DEFAULT_TIMEOUT_MILLIS,
            description = "How long to wait for the cluster's answer (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    /** The config file this command uses; a usage error that says what to do when there is none. */
    public Path configFile() {
        if (config != null) {
            return config;
        }
        String fallback = System.getProperty(DEFAULT_CONFIG_PROPERTY, System.getenv(DEFAULT_CONFIG_ENV));
        return resolve(null, fallback == null || fallback.isBlank() ? null : Paths.get(fallback), commandLine());
    }

    /**
     * {@code explicit} if given, else {@code localCluster} if that file exists, else a usage error
     * explaining both ways out.
     */
    static Path resolve(Path explicit, Path localCluster, CommandLine commandLine) {
        if (explicit != null) {
            return explicit;
        }
        if (localCluster != null && Files.isRegularFile(localCluster)) {
            return localCluster;
        }
        String where = localCluster == null ? "" : " (no file at " + localCluster + ")";
        throw new ParameterException(commandLine, "no cluster config: pass --config FILE, or start the local"
                + " cluster with `scripts/cluster.sh start`" + where);
    }

    /** Loads the config; a missing or malformed file is a {@link ConfigException} naming file and field. */
    public ClusterConfig load() throws ConfigException {
        return ClusterConfig.load(configFile());
    }

    public long timeoutMillis() {
        if (timeoutMillis < 1) {
            throw new ParameterException(commandLine(), "--timeout-ms must be at least 1, was " + timeoutMillis);
        }
        return timeoutMillis;
    }

    private CommandLine commandLine() {
        return mixee.commandLine();
    }
}
