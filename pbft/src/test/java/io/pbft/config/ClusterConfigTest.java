package io.pbft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.core.ReplicaConfig;
import io.pbft.transport.ListenerLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {

    @TempDir
    Path directory;

    private static ClusterConfig fourReplicas(int maxFrameBytes) {
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            byte[] key = new byte[32];
            key[0] = (byte) id;
            endpoints.add(new ReplicaEndpoint(id, "127.0.0.1", 7000 + id, 7100 + id, key));
        }
        ReplicaConfig protocol = ReplicaConfig.defaults(4, 0)
                .withMaxBatchBytes(Math.min(ReplicaConfig.DEFAULT_MAX_BATCH_BYTES,
                        maxFrameBytes - ClusterConfig.FRAME_ENVELOPE_BYTES));
        return new ClusterConfig(endpoints, protocol, maxFrameBytes, 300);
    }

    @Test
    void aWrittenConfigLoadsBackEqual() throws Exception {
        ClusterConfig config = fourReplicas(1 << 20);
        Path file = directory.resolve("cluster.properties");

        config.write(file);

        assertThat(ClusterConfig.load(file)).isEqualTo(config);
    }

    @Test
    void theListenerLimitsAreWrittenAndLoadedBack() throws Exception {
        ClusterConfig defaults = fourReplicas(1 << 20);
        ClusterConfig config = new ClusterConfig(defaults.replicas(), defaults.protocol(), defaults.maxFrameBytes(),
                defaults.clientRetransmitMillis(), new ListenerLimits(500, 50, 3_000, 0, 2_048));
        Path file = directory.resolve("cluster.properties");

        config.write(file);

        assertThat(Files.readString(file)).contains("transport.maxConnectionsPerPort = 500",
                "transport.maxConnectionsPerAddress = 50", "transport.handshakeTimeoutMillis = 3000",
                "transport.clientIdleTimeoutMillis = 0", "transport.maxUnauthenticatedFrameBytes = 2048");
        assertThat(ClusterConfig.load(file).listenerLimits()).isEqualTo(config.listenerLimits());
    }

    @Test
    void theClockSkewBoundIsWrittenAndLoadedBack() throws Exception {
        ClusterConfig defaults = fourReplicas(1 << 20);
        ClusterConfig config = new ClusterConfig(defaults.replicas(), defaults.protocol().withMaxClockSkew(5_000),
                defaults.maxFrameBytes(), defaults.clientRetransmitMillis(), defaults.listenerLimits());
        Path file = directory.resolve("cluster.properties");

        config.write(file);

        assertThat(Files.readString(file)).contains("protocol.maxClockSkewMillis = 5000");
        assertThat(ClusterConfig.load(file).protocol().maxClockSkewMillis()).isEqualTo(5_000);
    }

    @Test
    void aPerAddressLimitAboveThePortLimitNamesTheField() throws Exception {
        Path file = directory.resolve("cluster.properties");
        fourReplicas(1 << 20).write(file);
        Files.writeString(file, Files.readString(file).replaceAll("transport.maxConnectionsPerPort = \\d+",
                "transport.maxConnectionsPerPort = 100"));

        assertThatThrownBy(() -> ClusterConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": field 'transport.maxConnectionsPerAddress' must be between 1 and 100, was "
                        + ListenerLimits.defaults().maxConnectionsPerAddress());
    }

    @Test
    void aMissingFieldIsNamedWithTheFile() throws Exception {
        Path file = write("replicas = 4\nreplica.0.host = 127.0.0.1\n");

        assertThatThrownBy(() -> ClusterConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": field 'replica.0.port' is missing");
    }

    @Test
    void aClusterSizeThatIsNotThreeFPlusOneIsRefused() throws Exception {
        Path file = write("replicas = 5\n");

        assertThatThrownBy(() -> ClusterConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'replicas'")
                .hasMessageContaining("3f + 1");
    }

    @Test
    void aBatchLimitThatDoesNotFitAFrameNamesTheField() throws Exception {
        Path file = directory.resolve("cluster.properties");
        fourReplicas(1 << 20).write(file);
        String text = Files.readString(file).replaceAll("protocol.maxBatchBytes = \\d+",
                "protocol.maxBatchBytes = " + (1 << 20));
        Files.writeString(file, text);

        assertThatThrownBy(() -> ClusterConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'protocol.maxBatchBytes'");
    }

    @Test
    void aBatchLimitIsCappedToTheFrameByDefault() throws Exception {
        Path file = directory.resolve("cluster.properties");
        fourReplicas(1 << 20).write(file);
        String text = Files.readString(file).replaceAll("protocol.maxBatchBytes = \\d+\\n", "");
        Files.writeString(file, text);

        assertThat(ClusterConfig.load(file).protocol().maxBatchBytes())
                .isEqualTo((1 << 20) - ClusterConfig.FRAME_ENVELOPE_BYTES);
    }

    private Path write(String text) throws IOException {
        Path file = directory.resolve("cluster.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aWindowWhoseNewViewCannotFitAFrameNamesTheField() throws IOException {
        Path file = directory.resolve("cluster.properties");
        fourReplicas(ClusterConfig.DEFAULT_MAX_FRAME_BYTES).write(file);
        String text = Files.readString(file).replaceAll("protocol.windowSize = \\d+", "protocol.windowSize = 65536");
        Files.writeString(file, text);

        assertThatThrownBy(() -> ClusterConfig.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'protocol.windowSize'")
                .hasMessageContaining("lower protocol.windowSize or raise transport.maxFrameBytes");
    }
}
