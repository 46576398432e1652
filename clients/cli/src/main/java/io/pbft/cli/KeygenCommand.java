package io.pbft.cli;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pbft keygen}: a fresh cluster of 3f + 1 replicas: one identity key file per replica and
 * the cluster config with their public keys. Replica i listens on base + i for replicas and on
 * base + 100 + i for clients.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates the keys and the config of a cluster of 3f + 1 replicas.",
                "Writes DIR/cluster.properties, DIR/keys/replica-<i>.key and DIR/keys/client-<i>.key (a client's"
                        + " identity, for --key); replica i listens on PORT + i for replicas and on PORT + 100 + i"
                        + " for clients."})
public final class KeygenCommand implements Callable<Integer> {

    /** Client ports sit this far above replica ports. */
    public static final int CLIENT_PORT_OFFSET = 100;
    /** Largest f whose replica ports stay below the client ports. */
    public static final int MAX_F = (CLIENT_PORT_OFFSET - 1) / 3;
    public static final String CONFIG_FILE = "cluster.properties";
    /** A bound on --clients: key files are for people and scripts, not for load generators. */
    static final int MAX_CLIENT_KEYS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--f"}, defaultValue = "1", paramLabel = "F", description = "Faults tolerated; n = 3f + 1 replicas"
            + " (default: ${DEFAULT-VALUE}).")
    int f;

    @Option(names = "--dir", defaultValue = ".cluster", paramLabel = "DIR",
            description = "Where to write the config and the keys (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "The address every replica listens on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--base-port", defaultValue = "7000", paramLabel = "PORT",
            description = "Replica i uses PORT + i, and PORT + 100 + i for clients (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Most requests per pre-prepare (default: the library's, "
                    + "see ReplicaConfig.defaults).")
    Integer batchSize;

    @Option(names = "--clients", defaultValue = "1", paramLabel = "N",
            description = "How many client identity keys to write, keys/client-0.key to keys/client-<N-1>.key"
                    + " (default: ${DEFAULT-VALUE}). A client without one gets a fresh identity each run.")
    int clients;

    @Option(names = "--force", description = "Replace an existing config and existing key files.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        validate();
        ClusterConfig config;
        try {
            SecureRandom random = new SecureRandom();
            config = generate(dir, f, host, basePort, batchSize, force, random);
            writeClientKeys(dir, clients, force, random);
        } catch (FileAlreadyExistsException e) {
            throw new ParameterException(spec.commandLine(), e.getFile()
                    + " already exists; pass --force to replace the cluster's config and keys");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s: %d replicas (f = %d) on %s, replica ports %d-%d, client ports %d-%d%n",
                dir.resolve(CONFIG_FILE), config.replicaCount(), config.f(), host, basePort,
                basePort + config.replicaCount() - 1, basePort + CLIENT_PORT_OFFSET,
                basePort + CLIENT_PORT_OFFSET + config.replicaCount() - 1);
        out.printf("wrote %d key files: %s%n", config.replicaCount(), keyFile(dir, 0).getParent()
                .resolve("replica-<i>.key"));
        if (clients > 0) {
            out.printf("wrote %d client key %s: %s (pass one as --key)%n", clients, clients == 1 ? "file" : "files",
                    clients == 1 ? clientKeyFile(dir, 0) : clientKeyFile(dir, 0).getParent().resolve("client-<i>.key"));
        }
        return ExitCodes.OK;
    }

    private void validate() {
        if (f < 0 || f > MAX_F) {
            throw new ParameterException(spec.commandLine(), "-f must be between 0 and " + MAX_F + ", was " + f);
        }
        int lastPort = basePort + CLIENT_PORT_OFFSET + 3 * f;
        if (basePort < 1 || lastPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--base-port " + basePort + " puts ports outside"
                    + " 1-65535 (the last client port would be " + lastPort + ")");
        }
        if (clients < 0 || clients > MAX_CLIENT_KEYS) {
            throw new ParameterException(spec.commandLine(), "--clients must be between 0 and " + MAX_CLIENT_KEYS
                    + ", was " + clients);
        }
        if (batchSize != null && batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, was " + batchSize);
        }
    }

    /** Where replica {@code id}'s key file lives under a cluster directory. */
    public static Path keyFile(Path dir, int id) {
        return dir.resolve("keys").resolve("replica-" + id + ".key");
    }

    /** Where client {@code id}'s identity key goes in a cluster directory: {@code keys/client-<id>.key}. */
    public static Path clientKeyFile(Path dir, int id) {
        return dir.resolve("keys").resolve("client-" + id + ".key");
    }

    /** Writes {@code count} client identity keys, refusing to replace existing ones unless {@code replace}. */
    static void writeClientKeys(Path dir, int count, boolean replace, SecureRandom random) throws IOException {
        if (!replace) {
            for (int id = 0; id < count; id++) {
                refuseExisting(clientKeyFile(dir, id));
            }
        }
        for (int id = 0; id < count; id++) {
            KeyIdentity identity = KeyIdentity.client(id, SigningKey.generate(random));
            if (replace) {
                KeyFile.replace(clientKeyFile(dir, id), identity);
            } else {
                KeyFile.write(clientKeyFile(dir, id), identity);
            }
        }
    }

    /**
     * Writes a fresh cluster of 3f + 1 replicas under {@code dir} and returns its config.
     *
     * @param batchSizeOrNull overrides the default batch size when not null
     * @param replace whether existing files may be replaced; if not, any existing file makes it
     *     throw {@link FileAlreadyExistsException} before anything is written
     */
    public static ClusterConfig generate(Path dir, int f, String host, int basePort, Integer batchSizeOrNull,
            boolean replace, SecureRandom random) throws IOException {
        int n = 3 * f + 1;
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!replace) {
            for (int id = 0; id < n; id++) {
                refuseExisting(keyFile(dir, id));
            }
            refuseExisting(configFile);
        }
        List<ReplicaEndpoint> endpoints = new ArrayList<>(n);
        for (int id = 0; id < n; id++) {
            SigningKey key = SigningKey.generate(random);
            KeyIdentity identity = KeyIdentity.replica(id, key);
            if (replace) {
                KeyFile.replace(keyFile(dir, id), identity);
            } else {
                KeyFile.write(keyFile(dir, id), identity);
            }
            endpoints.add(new ReplicaEndpoint(id, host, basePort + id, basePort + CLIENT_PORT_OFFSET + id,
                    key.publicKey()));
        }
        ReplicaConfig protocol = ReplicaConfig.defaults(n, 0);
        if (batchSizeOrNull != null) {
            protocol = protocol.withBatching(batchSizeOrNull, protocol.batchDelayMillis(),
                    protocol.maxInFlightBatches());
        }
        ClusterConfig config = new ClusterConfig(endpoints, protocol, ClusterConfig.DEFAULT_MAX_FRAME_BYTES,
                ClusterConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS);
        config.write(configFile);
        return config;
    }

    private static void refuseExisting(Path file) throws FileAlreadyExistsException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
    }
}
