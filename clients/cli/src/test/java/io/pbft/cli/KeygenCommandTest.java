package io.pbft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.config.ClusterConfig;
import io.pbft.config.ReplicaEndpoint;
import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeygenCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = PbftCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void writesAConfigThatLoadsAndKeysThatMatchIt() throws Exception {
        Path cluster = dir.resolve(".cluster");

        int exitCode = run("keygen", "--f", "1", "--dir", cluster.toString(), "--base-port", "7500");

        assertThat(exitCode).isZero();
        ClusterConfig config = ClusterConfig.load(cluster.resolve("cluster.properties"));
        assertThat(config.replicaCount()).isEqualTo(4);
        assertThat(config.f()).isEqualTo(1);
        assertThat(config.protocol()).isEqualTo(ReplicaConfig.defaults(4, 0));
        for (int id = 0; id < 4; id++) {
            ReplicaEndpoint endpoint = config.replica(id);
            assertThat(endpoint.host()).isEqualTo("127.0.0.1");
            assertThat(endpoint.port()).isEqualTo(7500 + id);
            assertThat(endpoint.clientPort()).isEqualTo(7600 + id);
            KeyIdentity identity = KeyFile.read(cluster.resolve("keys/replica-" + id + ".key"));
            assertThat(identity.role()).isEqualTo(KeyIdentity.REPLICA);
            assertThat(identity.id()).isEqualTo(id);
            assertThat(identity.key().publicKey()).isEqualTo(endpoint.publicKey());
        }
        assertThat(config.replica(0).publicKey()).isNotEqualTo(config.replica(1).publicKey());
        KeyIdentity client = KeyFile.read(cluster.resolve("keys/client-0.key"));
        assertThat(client.role()).isEqualTo(KeyIdentity.CLIENT);
        assertThat(client.id()).isZero();
        assertThat(out.toString()).contains("wrote 1 client key file: " + cluster.resolve("keys/client-0.key"));
        assertThat(out.toString()).contains("4 replicas (f = 1)", "replica ports 7500-7503", "client ports 7600-7603");
    }

    @Test
    void largerFaultThresholdsGiveThreeFPlusOneReplicas() throws Exception {
        assertThat(run("keygen", "-f", "3", "--dir", dir.toString(), "--batch-size", "16")).isZero();

        ClusterConfig config = ClusterConfig.load(dir.resolve("cluster.properties"));
        assertThat(config.replicaCount()).isEqualTo(10);
        assertThat(config.protocol().batchSize()).isEqualTo(16);
        assertThat(Files.exists(dir.resolve("keys/replica-9.key"))).isTrue();
    }

    @Test
    void refusesToOverwriteAnExistingClusterWithoutForce() throws Exception {
        assertThat(run("keygen", "--dir", dir.toString())).isZero();
        byte[] before = Files.readAllBytes(dir.resolve("cluster.properties"));

        int exitCode = run("keygen", "--dir", dir.toString());

        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("already exists; pass --force");
        assertThat(Files.readAllBytes(dir.resolve("cluster.properties"))).isEqualTo(before);
    }

    @Test
    void forceReplacesConfigAndKeys() throws Exception {
        assertThat(run("keygen", "--dir", dir.toString())).isZero();
        byte[] oldKey = ClusterConfig.load(dir.resolve("cluster.properties")).replica(0).publicKey();

        assertThat(run("keygen", "--dir", dir.toString(), "--force")).isZero();

        ClusterConfig config = ClusterConfig.load(dir.resolve("cluster.properties"));
        assertThat(config.replica(0).publicKey()).isNotEqualTo(oldKey);
        assertThat(KeyFile.read(dir.resolve("keys/replica-0.key")).key().publicKey())
                .isEqualTo(config.replica(0).publicKey());
    }

    @Test
    void refusesPortsOutsideTheValidRangeAndBadF() {
        assertThat(run("keygen", "--dir", dir.toString(), "--base-port", "65500")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--base-port 65500 puts ports outside 1-65535");
        assertThat(run("keygen", "--dir", dir.toString(), "-f", "-1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("keygen", "--dir", dir.toString(), "-f", "40")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("-f must be between 0 and 33, was 40");
        assertThat(Files.exists(dir.resolve("cluster.properties"))).isFalse();
    }
}
