package io.pbft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pbft.core.ReplicaConfig;
import io.pbft.fuzz.FixedKeys;
import io.pbft.fuzz.FuzzRun;
import io.pbft.fuzz.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile cluster configuration files: loading one gives a configuration or a
 * {@link ConfigException} naming the file, never another exception (a replica must start with a
 * clear message, not a stack trace).
 *
 * <p>{@link #configLoads} replays its corpus under plain JUnit and fuzzes with {@code JAZZER_FUZZ=1}
 * (docs/fuzzing.md); the seeded test feeds it valid files with fields set to hostile values.
 */
class ClusterConfigFuzzTest {

    private static final String[] HOSTILE_VALUES = {"", " ", "-1", "0", "1", "2", "3", "4", "7", "1000", "1001",
        "2147483647", "2147483648", "-2147483648", "99999999999999999999", "1e3", "0x10", "true", "yes", "\\u00",
        "\\uZZZZ", "\\", "65536", "1073741824", "1024", "1023", "4096", "8388608", "z".repeat(64), "0".repeat(63),
        "0".repeat(65), "é".repeat(64), "\u0000"};

    private static final String[] FIELDS = {"replicas", "replica.0.host", "replica.0.port", "replica.1.clientPort",
        "replica.2.publicKey", "replica.3.port", "protocol.windowSize", "protocol.checkpointInterval",
        "protocol.batchSize", "protocol.maxBatchBytes", "protocol.batchDelayMillis", "protocol.maxInFlightBatches",
        "protocol.statusIntervalMillis", "protocol.viewChangeTimeoutMillis", "protocol.checkInvariants",
        "protocol.slowPrimaryFactor", "protocol.slowPrimaryFloorMillis", "protocol.maxClientSessions",
        "protocol.maxClockSkewMillis",
        "transport.maxFrameBytes", "transport.maxConnectionsPerPort", "transport.maxConnectionsPerAddress",
        "transport.handshakeTimeoutMillis", "transport.clientIdleTimeoutMillis",
        "transport.maxUnauthenticatedFrameBytes", "client.retransmitMillis"};

    /** One file, rewritten for each input: the fuzzer runs millions of them. */
    private static final Path FILE = temporaryFile();
    private static final byte[] VALID = validFile();

    @FuzzTest(maxDuration = "2m")
    void configLoads(byte[] content) throws IOException {
        Files.write(FILE, content);
        try {
            ClusterConfig config = ClusterConfig.load(FILE);
            assertThat(config.replicaCount()).isEqualTo(3 * config.f() + 1);
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).startsWith(FILE.toString());
        }
    }

    @Test
    void seededHostileConfigFilesLoadOrAreRefusedClearly() {
        FuzzRun.run(getClass(), "seededHostileConfigFilesLoadOrAreRefusedClearly", 600,
                ClusterConfigFuzzTest::hostileFile, this::configLoads);
    }

    /**
     * Found by thinking about what the fuzzer cannot write: a file whose reported size is no bound.
     * Loading read lines until the heap ran out; now it stops one byte past the limit.
     */
    @Test
    void aConfigFileThatNeverEndsIsRefusedAtItsLimit() {
        Path endless = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(endless), "needs /dev/zero");

        assertThatThrownBy(() -> ClusterConfig.load(endless)).isInstanceOf(ConfigException.class)
                .hasMessage(endless + ": too large for a cluster config (over " + ClusterConfig.MAX_FILE_BYTES
                        + " bytes)");
    }

    @Test
    void aConfigFileJustOverTheLimitIsRefusedAndOneAtItLoads() throws Exception {
        byte[] padded = Arrays.copyOf(VALID, ClusterConfig.MAX_FILE_BYTES);
        Arrays.fill(padded, VALID.length, padded.length, (byte) '\n');
        Files.write(FILE, padded);
        assertThat(ClusterConfig.load(FILE).replicaCount()).isEqualTo(4);

        Files.write(FILE, Arrays.copyOf(padded, padded.length + 1));
        assertThatThrownBy(() -> ClusterConfig.load(FILE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("too large for a cluster config");
    }

    /** The valid file with one to three fields set to hostile values, sometimes damaged bytewise too. */
    private static byte[] hostileFile(Random random) {
        List<String> lines = new ArrayList<>(List.of(new String(VALID, StandardCharsets.UTF_8).split("\n")));
        for (int i = random.nextInt(3); i >= 0; i--) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            String value = HOSTILE_VALUES[random.nextInt(HOSTILE_VALUES.length)];
            lines.removeIf(line -> line.startsWith(field + " "));
            if (random.nextInt(5) != 0) {
                lines.add(field + " = " + value);
            }
        }
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        return random.nextInt(4) == 0 ? Mutations.mutate(random, bytes) : bytes;
    }

    private static byte[] validFile() {
        List<ReplicaEndpoint> endpoints = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            endpoints.add(new ReplicaEndpoint(id, "127.0.0.1", 7000 + id, 7100 + id,
                    FixedKeys.signingKey(id).publicKey()));
        }
        ClusterConfig config = new ClusterConfig(endpoints, ReplicaConfig.defaults(4, 0),
                ClusterConfig.DEFAULT_MAX_FRAME_BYTES, ClusterConfig.DEFAULT_CLIENT_RETRANSMIT_MILLIS);
        try {
            config.write(FILE);
            return Files.readAllBytes(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("cluster-config-fuzz", ".properties");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
