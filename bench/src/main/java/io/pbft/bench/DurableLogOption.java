package io.pbft.bench;

import io.pbft.storage.SyncPolicy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --log} for the benchmarks whose replicas must keep a data directory ({@code bench-soak}
 * measures it, {@code bench-catchup} restarts a replica on it): synced or unsynced, never in memory.
 */
final class DurableLogOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--log", defaultValue = "SYNCED", paramLabel = "MODE",
            description = "How the replicas keep their log in their data directories: SYNCED (forced per group of"
                    + " records, the default of `pbft replica --data-dir`) or UNSYNCED (default: ${DEFAULT-VALUE}).")
    ReplicaLog mode;

    /** The replicas' {@code --sync}. */
    SyncPolicy sync() {
        return mode.sync;
    }

    /** The setup line of a results file on the replicas' log. */
    String setup() {
        return mode.setup();
    }

    /** A usage error for {@code MEMORY}, which keeps no data directory. */
    void validate() {
        if (mode == ReplicaLog.MEMORY) {
            throw new ParameterException(mixee.commandLine(), "--log MEMORY keeps no data directory, which "
                    + mixee.name() + " needs: use SYNCED or UNSYNCED");
        }
    }
}
