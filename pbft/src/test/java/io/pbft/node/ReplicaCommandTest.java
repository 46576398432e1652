package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.config.ClusterConfig;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.counter.CounterStateMachine;
import io.pbft.statemachine.kv.RocksKeyValueStateMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplicaCommandTest {

    private static final ReplicaConfig PROTOCOL = ReplicaConfig.defaults(4, 0);

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = new CommandLine(new ReplicaCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private Path writeConfig(List<SigningKey> keys) throws IOException {
        Path file = directory.resolve("cluster.properties");
        LocalCluster.config(keys, PROTOCOL, 1 << 20).write(file);
        return file;
    }

    @Test
    void aKeyThatDoesNotMatchTheConfigNamesTheKeyFileAndTheField() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        Path config = writeConfig(keys);
        Path keyFile = ReplicaCommand.defaultKeyFile(config, 0);
        KeyFile.write(keyFile, KeyIdentity.replica(1, keys.get(1)));

        assertThat(run("--config", config.toString(), "--id", "0")).isEqualTo(1);

        assertThat(err.toString())
                .contains(keyFile.toString())
                .contains("'replica.0.publicKey'")
                .contains(config.toString())
                .contains("replica 1");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMissingConfigFileIsReportedWithExitCodeOne() {
        Path missing = directory.resolve("nope.properties");
        assertThat(run("--config", missing.toString(), "--id", "0")).isEqualTo(1);
        assertThat(err.toString()).contains(missing.toString()).contains("not found");
    }

    @Test
    void aMalformedConfigNamesTheField() throws IOException {
        Path config = directory.resolve("cluster.properties");
        Files.writeString(config, "replicas = 4\nreplica.0.host = 127.0.0.1\n", StandardCharsets.UTF_8);
        assertThat(run("--config", config.toString(), "--id", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("replica.0.port");
    }

    @Test
    void aMalformedKeyFileNamesTheFileAndTheField() throws IOException {
        Path config = writeConfig(LocalCluster.generateKeys(4));
        Path keyFile = directory.resolve("bad.key");
        Files.writeString(keyFile, "role=replica\nid=0\ned25519.public=00\ned25519.private=00\n", StandardCharsets.UTF_8);
        assertThat(run("--config", config.toString(), "--id", "0", "--key", keyFile.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(keyFile.toString()).contains("ed25519.");
    }

    @Test
    void aMissingDefaultKeyFileNamesWhereItWasLookedFor() throws IOException {
        Path config = writeConfig(LocalCluster.generateKeys(4));
        assertThat(run("--config", config.toString(), "--id", "3")).isEqualTo(1);
        assertThat(err.toString()).contains(directory.resolve("keys").resolve("replica-3.key").toString());
    }

    @Test
    void anIdOutsideTheClusterIsRefused() throws IOException {
        Path config = writeConfig(LocalCluster.generateKeys(4));
        assertThat(run("--config", config.toString(), "--id", "4")).isEqualTo(1);
        assertThat(err.toString()).contains("--id 4").contains("replicas 0 to 3");
    }

    @Test
    void badConfigAndKeyFilesExitOneWithOneLineNamingWhatToFix() throws IOException {
        Path config = writeConfig(LocalCluster.generateKeys(4));
        Path missing = directory.resolve("nope.properties");
        Path badKey = directory.resolve("bad.key");
        Files.writeString(badKey, "role=replica\nid=0\n", StandardCharsets.UTF_8);
        List<List<String>> badInputs = List.of(
                List.of("--config", missing.toString(), "--id", "0"),
                List.of("--config", config.toString(), "--id", "0", "--key", badKey.toString()),
                List.of("--config", config.toString(), "--id", "1"));
        for (List<String> args : badInputs) {
            err.getBuffer().setLength(0);
            assertThat(run(args.toArray(String[]::new))).as("exit code of replica %s", args).isEqualTo(1);
            assertThat(err.toString().strip().lines()).as("what replica %s printed", args).hasSize(1);
        }
    }

    /** A config of four replicas, and replica 0's key file where the command looks by default. */
    private Path configWithKeyOfReplica0() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        Path config = writeConfig(keys);
        KeyFile.write(ReplicaCommand.defaultKeyFile(config, 0), KeyIdentity.replica(0, keys.get(0)));
        return config;
    }

    @Test
    void anOptionOutOfRangeIsAUsageError() throws IOException {
        Path config = configWithKeyOfReplica0();

        assertThat(run("--config", config.toString(), "--id", "0", "--io-threads", "0")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("--io-threads must be at least 1, was 0");

        err.getBuffer().setLength(0);
        assertThat(run("--config", config.toString(), "--id", "0", "--metrics-port", "70000")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("--metrics-port must be from 0 to 65535, was 70000");
    }

    @Test
    void aFaultControlPortOutOfRangeIsAUsageError() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        Path config = writeConfig(keys);
        KeyFile.write(ReplicaCommand.defaultKeyFile(config, 0), KeyIdentity.replica(0, keys.get(0)));

        assertThat(run("--config", config.toString(), "--id", "0", "--fault-control=70000")).isEqualTo(2);

        assertThat(err.toString().strip()).isEqualTo("--fault-control 70000: not a port (0 to 65535)");
    }

    @Test
    void withFaultControlAloneThePortIsTheClientPortPlusOneHundredOnLoopback() throws Exception {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaNode node = startFromCommandLine(keys, 1, "--fault-control");
        try (node) {
            assertThat(node.faultControlPort()).isEqualTo(node.clientPort() + FaultControl.PORT_OFFSET);
            assertThat(FaultControl.request(node.faultControlPort(), "show", Duration.ofSeconds(10)))
                    .startsWith("ok cut=none ");
        }
    }

    @Test
    void aReplicaStartedTwiceIsToldThePortIsTakenAndThatItMayAlreadyRun() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(4, PROTOCOL, 1 << 20, 1)) {
            Path file = directory.resolve("running.properties");
            cluster.config.write(file);
            KeyFile.write(ReplicaCommand.defaultKeyFile(file, 1), KeyIdentity.replica(1, cluster.keys.get(1)));

            assertThat(run("--config", file.toString(), "--id", "1")).isEqualTo(1);

            assertThat(err.toString().strip().lines()).hasSize(1);
            assertThat(err.toString()).contains("replica 1 cannot start").contains("already running");
        }
    }

    @Test
    void aMetricsPortInUseIsOneLineNamingTheAddressAndWhatToChange() throws IOException {
        Path config = configWithKeyOfReplica0();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());

            assertThat(run("--config", config.toString(), "--id", "0", "--metrics-port", port)).isEqualTo(1);

            assertThat(err.toString().strip().lines()).hasSize(1);
            assertThat(err.toString()).contains("replica 0 cannot serve metrics")
                    .contains("127.0.0.1:" + port).contains("--metrics-port");
        }
    }

    @Test
    void theIdAndConfigAreRequired() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("--config").contains("--id");
    }

    @Test
    void helpDescribesTheCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Run one replica of a cluster").contains("--key");
    }

    @Test
    void aMatchingKeyStartsTheReplicaOnTheConfiguredPorts() throws Exception {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaNode node = startFromCommandLine(keys, 2);
        try (node) {
            ClusterConfig loaded = ClusterConfig.load(directory.resolve("cluster.properties"));
            assertThat(node.id()).isEqualTo(2);
            assertThat(node.clientPort()).isEqualTo(loaded.replica(2).clientPort());
            assertThat(node.replicaPort()).isEqualTo(loaded.replica(2).port());
        }
    }

    @Test
    void theServiceIsAnyStateMachineOnTheClassPath() throws Exception {
        assertThat(ReplicaCommand.newService(CounterStateMachine.class.getName()))
                .isInstanceOf(CounterStateMachine.class);
    }

    @Test
    void aServiceClassThatCannotBeRunIsNamedWithWhatIsWrong() {
        assertThatThrownBy(() -> ReplicaCommand.newService("com.example.Missing"))
                .isInstanceOf(ReplicaCommand.StartupException.class)
                .hasMessageContaining("--service com.example.Missing").hasMessageContaining("no such class");
        assertThatThrownBy(() -> ReplicaCommand.newService(String.class.getName()))
                .hasMessageContaining("does not implement io.pbft.statemachine.StateMachine");
        assertThatThrownBy(() -> ReplicaCommand.newService(RocksKeyValueStateMachine.class.getName()))
                .hasMessageContaining("public constructor without arguments");
    }

    @Test
    void aServiceThatCannotBeLoadedExitsWithCodeTwoBeforeBindingAPort() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        Path config = writeConfig(keys);
        KeyFile.write(ReplicaCommand.defaultKeyFile(config, 0), KeyIdentity.replica(0, keys.get(0)));

        assertThat(run("--config", config.toString(), "--id", "0", "--service", "com.example.Missing")).isEqualTo(2);

        assertThat(err.toString()).contains("--service com.example.Missing");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMisbehaviourNobodyProvidesIsAUsageErrorBeforeBindingAPort() throws IOException {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        Path config = writeConfig(keys);
        KeyFile.write(ReplicaCommand.defaultKeyFile(config, 0), KeyIdentity.replica(0, keys.get(0)));

        // pbft's own tests have no provider on the class path: the chaos module brings the behaviours
        assertThat(run("--config", config.toString(), "--id", "0", "--misbehave", "equivocate")).isEqualTo(2);

        assertThat(err.toString()).contains("--misbehave equivocate: no such behaviour", "the chaos module");
        assertThat(out.toString()).isEmpty();
    }

    /**
     * Starts replica {@code id} as {@code replica --config FILE --id ID OPTIONS} does, on a fresh
     * configuration written to {@link #directory}, again on other ports if one was taken meanwhile.
     */
    private ReplicaNode startFromCommandLine(List<SigningKey> keys, int id, String... options) throws IOException {
        return LocalCluster.startWithRetry(keys, PROTOCOL, config -> {
            Path file = directory.resolve("cluster.properties");
            Files.deleteIfExists(file);
            config.write(file);
            Path keyFile = ReplicaCommand.defaultKeyFile(file, id);
            if (!Files.exists(keyFile)) {
                KeyFile.write(keyFile, KeyIdentity.replica(id, keys.get(id)));
            }
            List<String> args = new ArrayList<>(List.of("--config", file.toString(), "--id", Integer.toString(id)));
            args.addAll(List.of(options));
            ReplicaCommand command = new ReplicaCommand();
            new CommandLine(command).parseArgs(args.toArray(String[]::new));
            try {
                return command.start();
            } catch (ReplicaCommand.StartupException e) {
                throw new IOException(e.getMessage()); // a port taken meanwhile: retry on others
            }
        });
    }
}
