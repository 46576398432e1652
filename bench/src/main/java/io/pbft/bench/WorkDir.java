package io.pbft.bench;

import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The temporary directory of one benchmark cluster: keys, config and replica logs. Closing deletes
 * it once the run said it went well ({@link #deleteOnClose}); otherwise, also when the run failed
 * with an exception, it is kept for inspection and its path printed.
 */
final class WorkDir implements AutoCloseable {

    private final Path path;
    private final String command;
    private final PrintWriter out;
    private boolean delete;

    private WorkDir(Path path, String command, PrintWriter out) {
        this.path = path;
        this.command = command;
        this.out = out;
    }

    /** A fresh directory named after {@code command}, which also starts the line that names a kept one. */
    static WorkDir create(String command, PrintWriter out) throws IOException {
        return new WorkDir(Files.createTempDirectory("pbft-" + command + "-"), command, out);
    }

    Path path() {
        return path;
    }

    /**
     * Fresh keys and a config for 3f + 1 replicas in this directory ({@link BenchSupport#generateCluster}),
     * announced on the output with the ports and where the replica logs will be.
     */
    ClusterConfig generateCluster(int f, int basePort, UnaryOperator<ReplicaConfig> protocol) throws IOException {
        ClusterConfig config = BenchSupport.generateCluster(path, f, basePort, protocol);
        out.println(command + ": " + BenchSupport.startingLine(config, path));
        out.flush();
        return config;
    }

    /** Whether to delete the directory on close (true) or keep it (false, the default). */
    void deleteOnClose(boolean wentWell) {
        this.delete = wentWell;
    }

    @Override
    public void close() {
        if (delete) {
            BenchSupport.deleteTree(path);
        } else {
            out.println(command + ": keeping " + path + " (replica logs) for inspection");
        }
        out.flush();
    }
}
