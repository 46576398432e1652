package io.pbft.config;

import io.pbft.core.ReplicaConfig;
import io.pbft.core.SlowPrimaryDefence;
import io.pbft.transport.ListenerLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The cluster as every replica and client sees it. Stored as a Java properties file:
 *
 * <pre>
 * replicas = 4
 * replica.0.host = 127.0.0.1
 * replica.0.port = 7000
 * replica.0.clientPort = 7100
 * replica.0.publicKey = (64 hex characters)
 * protocol.windowSize = 256          (optional; defaults from ReplicaConfig.defaults)
 * protocol.checkpointInterval = 64
 * protocol.batchSize = 128
 * protocol.maxBatchBytes = 4194304   (at most, and by default at most, transport.maxFrameBytes - 4096)
 * protocol.batchDelayMillis = 0
 * protocol.maxInFlightBatches = 8
 * protocol.statusIntervalMillis = 200
 * protocol.viewChangeTimeoutMillis = 2000
 * protocol.checkInvariants = false   (true: the core checks its invariants after every input)
 * protocol.slowPrimaryFactor = 4     (0: off; see SlowPrimaryDefence)
 * protocol.slowPrimaryFloorMillis = 25
 * protocol.maxClientSessions = 10000 (clients remembered for exactly-once; see ClientTable)
 * protocol.maxClockSkewMillis = 30000 (how far a primary's proposed time may be from a backup's clock)
 * transport.maxFrameBytes = 8388608
 * transport.maxConnectionsPerPort = 4096       (each of a replica's two ports; see ListenerLimits)
 * transport.maxConnectionsPerAddress = 1024    (per remote IP address, on each port)
 * transport.handshakeTimeoutMillis = 10000     (a client connection without a handshake by then is closed)
 * transport.clientIdleTimeoutMillis = 300000   (a client connection silent this long is closed; 0: never)
 * transport.maxUnauthenticatedFrameBytes = 4096 (the largest frame before a client's handshake)
 * client.retransmitMillis = 500
 * </pre>
 *
 * @param protocol the protocol knobs, with replica id 0; see {@link #replicaConfig(int)}
 * @param listenerLimits what a replica's client port lets strangers hold; its replica port keeps the
 *     connection caps only (see {@code ReplicaNode})
 */
public record ClusterConfig(List<ReplicaEndpoint> replicas, ReplicaConfig protocol, int maxFrameBytes,
        long clientRetransmitMillis, ListenerLimits listenerLimits) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
    public static final long DEFAULT_CLIENT_RETRANSMIT_MILLIS = 500;
    /** Room in a frame, beyond the batch, for the pre-prepare's other fields, signature and envelope. */
    public static final int FRAME_ENVELOPE_BYTES = 4096;
    /** An upper bound on one signed envelope of a prepare, pre-prepare or checkpoint, nested in a certificate. */
    static final int CERTIFIED_ENVELOPE_BYTES = 192;
    /** A thousand replicas take some 200 KB; anything much larger is not a cluster config. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    public ClusterConfig {
        replicas = List.copyOf(replicas);
        Objects.requireNonNull(listenerLimits, "listenerLimits");
        if (replicas.size() != protocol.replicaCount()) {
            throw new IllegalArgumentException(
                    replicas.size() + " replica endpoints for a protocol of " + protocol.replicaCount());
        }
        if (protocol.maxBatchBytes() > maxFrameBytes - FRAME_ENVELOPE_BYTES) {
            throw new IllegalArgumentException("maxBatchBytes " + protocol.maxBatchBytes() + " does not fit a frame of "
                    + maxFrameBytes + " bytes with " + FRAME_ENVELOPE_BYTES + " bytes for the signed envelope");
        }
        long newView = maxNewViewBytes(protocol);
        if (newView > maxFrameBytes) {
            throw new IllegalArgumentException("a new view with f = " + protocol.f() + " and windowSize "
                    + protocol.windowSize() + " can take " + newView + " bytes, more than a frame of " + maxFrameBytes
                    + ": lower protocol.windowSize or raise transport.maxFrameBytes");
        }
    }

    /** With {@link ListenerLimits#defaults()}. */
    public ClusterConfig(List<ReplicaEndpoint> replicas, ReplicaConfig protocol, int maxFrameBytes,
            long clientRetransmitMillis) {
        this(replicas, protocol, maxFrameBytes, clientRetransmitMillis, ListenerLimits.defaults());
    }

    /**
     * The largest NEW-VIEW the protocol can need: 2f + 1 view changes, each with a checkpoint proof
     * and up to L prepared certificates of 2f + 1 signed messages, and up to L re-issued
     * pre-prepares. It must fit one frame, or a view change could never complete.
     */
    static long maxNewViewBytes(ReplicaConfig protocol) {
        long quorum = protocol.quorum();
        long certificate = quorum * (CERTIFIED_ENVELOPE_BYTES + 4L);
        long viewChange = protocol.windowSize() * (certificate + 8L) + certificate + CERTIFIED_ENVELOPE_BYTES;
        return quorum * (viewChange + 8L) + protocol.windowSize() * (CERTIFIED_ENVELOPE_BYTES + 4L)
                + CERTIFIED_ENVELOPE_BYTES;
    }

    public int replicaCount() {
        return replicas.size();
    }

    public int f() {
        return protocol.f();
    }

    public ReplicaEndpoint replica(int id) {
        return replicas.get(id);
    }

    /** The protocol configuration of replica {@code id}. */
    public ReplicaConfig replicaConfig(int id) {
        return protocol.withReplicaId(id);
    }

    public static ClusterConfig load(Path file) throws ConfigException {
        Properties properties = new Properties();
        try {
            // A fresh decoder reports malformed UTF-8 rather than replacing it.
            properties.load(new StringReader(
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(readAtMost(file))).toString()));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": cluster config file not found");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot read cluster config: " + e.getMessage(), e);
        }
        return new Parser(file, properties).parse();
    }

    /**
     * The file's bytes, read no further than {@link #MAX_FILE_BYTES}: the size the file system
     * reports is no bound (a pipe, or a device such as /dev/zero, reports 0 and never ends).
     */
    private static byte[] readAtMost(Path file) throws IOException, ConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(file + ": too large for a cluster config (over " + MAX_FILE_BYTES + " bytes)");
        }
        return bytes;
    }

    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("# PBFT cluster configuration: ").append(replicaCount()).append(" replicas, f = ").append(f())
                .append('\n');
        text.append("replicas = ").append(replicaCount()).append('\n');
        for (ReplicaEndpoint r : replicas) {
            String prefix = "replica." + r.id() + ".";
            text.append('\n');
            text.append(prefix).append("host = ").append(r.host()).append('\n');
            text.append(prefix).append("port = ").append(r.port()).append('\n');
            text.append(prefix).append("clientPort = ").append(r.clientPort()).append('\n');
            text.append(prefix).append("publicKey = ").append(HexFormat.of().formatHex(r.publicKey())).append('\n');
        }
        text.append('\n');
        text.append("protocol.windowSize = ").append(protocol.windowSize()).append('\n');
        text.append("protocol.checkpointInterval = ").append(protocol.checkpointInterval()).append('\n');
        text.append("protocol.batchSize = ").append(protocol.batchSize()).append('\n');
        text.append("protocol.maxBatchBytes = ").append(protocol.maxBatchBytes()).append('\n');
        text.append("protocol.batchDelayMillis = ").append(protocol.batchDelayMillis()).append('\n');
        text.append("protocol.maxInFlightBatches = ").append(protocol.maxInFlightBatches()).append('\n');
        text.append("protocol.statusIntervalMillis = ").append(protocol.statusIntervalMillis()).append('\n');
        text.append("protocol.viewChangeTimeoutMillis = ").append(protocol.viewChangeTimeoutMillis()).append('\n');
        text.append("protocol.checkInvariants = ").append(protocol.checkInvariants()).append('\n');
        text.append("protocol.slowPrimaryFactor = ").append(protocol.slowPrimaryDefence().factor()).append('\n');
        text.append("protocol.slowPrimaryFloorMillis = ").append(protocol.slowPrimaryDefence().floorMillis())
                .append('\n');
        text.append("protocol.maxClientSessions = ").append(protocol.maxClientSessions()).append('\n');
        text.append("protocol.maxClockSkewMillis = ").append(protocol.maxClockSkewMillis()).append('\n');
        text.append("transport.maxFrameBytes = ").append(maxFrameBytes).append('\n');
        text.append("transport.maxConnectionsPerPort = ").append(listenerLimits.maxConnections()).append('\n');
        text.append("transport.maxConnectionsPerAddress = ").append(listenerLimits.maxConnectionsPerAddress())
                .append('\n');
        text.append("transport.handshakeTimeoutMillis = ").append(listenerLimits.handshakeTimeoutMillis())
                .append('\n');
        text.append("transport.clientIdleTimeoutMillis = ").append(listenerLimits.idleTimeoutMillis()).append('\n');
        text.append("transport.maxUnauthenticatedFrameBytes = ").append(listenerLimits.maxUnauthenticatedFrameBytes())
                .append('\n');
        text.append("client.retransmitMillis = ").append(clientRetransmitMillis).append('\n');
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write(text.toString());
        }
    }

    /** Reads one file's properties, naming the file and the field in every error. */
    private static final class Parser {
        private final Path file;
        private final Properties properties;

        Parser(Path file, Properties properties) {
            this.file = file;
            this.properties = properties;
        }

        ClusterConfig parse() throws ConfigException {
            int count = integer("replicas", null, 1, 1000);
            if ((count - 1) % 3 != 0) {
                throw error("replicas", "must be 3f + 1 for some f (1, 4, 7, 10, ...), was " + count);
            }
            List<ReplicaEndpoint> endpoints = new ArrayList<>(count);
            for (int id = 0; id < count; id++) {
                String prefix = "replica." + id + ".";
                endpoints.add(new ReplicaEndpoint(id, text(prefix + "host"),
                        integer(prefix + "port", null, 1, 65535),
                        integer(prefix + "clientPort", null, 1, 65535),
                        hexKey(prefix + "publicKey")));
            }
            ReplicaConfig defaults = ReplicaConfig.defaults(count, 0);
            int maxFrameBytes = integer("transport.maxFrameBytes", DEFAULT_MAX_FRAME_BYTES,
                    ReplicaConfig.MIN_BATCH_BYTES + FRAME_ENVELOPE_BYTES, 1 << 30);
            int defaultBatchBytes = Math.min(defaults.maxBatchBytes(), maxFrameBytes - FRAME_ENVELOPE_BYTES);
            ReplicaConfig protocol;
            try {
                protocol = new ReplicaConfig(count, 0,
                        integer("protocol.windowSize", defaults.windowSize(), 2, 1 << 20),
                        integer("protocol.checkpointInterval", defaults.checkpointInterval(), 1, 1 << 19),
                        integer("protocol.batchSize", defaults.batchSize(), 1, 1 << 16),
                        integer("protocol.maxBatchBytes", defaultBatchBytes, ReplicaConfig.MIN_BATCH_BYTES, 1 << 30),
                        integer("protocol.batchDelayMillis", (int) defaults.batchDelayMillis(), 0, 60_000),
                        integer("protocol.maxInFlightBatches", defaults.maxInFlightBatches(), 1, 1 << 20),
                        integer("protocol.statusIntervalMillis", (int) defaults.statusIntervalMillis(), 1, 600_000),
                        defaults.retransmitLimit(),
                        integer("protocol.viewChangeTimeoutMillis", (int) defaults.viewChangeTimeoutMillis(), 1,
                                3_600_000),
                        bool("protocol.checkInvariants", defaults.checkInvariants()),
                        new SlowPrimaryDefence(
                                integer("protocol.slowPrimaryFactor", defaults.slowPrimaryDefence().factor(), 0, 1000),
                                integer("protocol.slowPrimaryFloorMillis",
                                        (int) defaults.slowPrimaryDefence().floorMillis(), 1, 3_600_000)),
                        integer("protocol.maxClientSessions", defaults.maxClientSessions(), 1, 100_000_000),
                        integer("protocol.maxClockSkewMillis", (int) defaults.maxClockSkewMillis(), 1, 86_400_000));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ": protocol settings: " + e.getMessage(), e);
            }
            long retransmitMillis = integer("client.retransmitMillis", (int) DEFAULT_CLIENT_RETRANSMIT_MILLIS, 1,
                    600_000);
            ListenerLimits limits = listenerLimits();
            try {
                return new ClusterConfig(endpoints, protocol, maxFrameBytes, retransmitMillis, limits);
            } catch (IllegalArgumentException e) {
                // The rules the record adds: a batch, and a new view, must fit a frame.
                throw maxNewViewBytes(protocol) > maxFrameBytes
                        ? error("protocol.windowSize", "is too large for f = " + protocol.f()
                                + " and transport.maxFrameBytes: " + e.getMessage())
                        : error("protocol.maxBatchBytes", "is too large for transport.maxFrameBytes: " + e.getMessage());
            }
        }

        private ListenerLimits listenerLimits() throws ConfigException {
            ListenerLimits defaults = ListenerLimits.defaults();
            int maxConnections = integer("transport.maxConnectionsPerPort", defaults.maxConnections(), 1, 1 << 20);
            int maxPerAddress = integer("transport.maxConnectionsPerAddress",
                    Math.min(defaults.maxConnectionsPerAddress(), maxConnections), 1, maxConnections);
            // A handshake needs a round trip and a signature check each way: under a second is for a LAN.
            int handshakeMillis = integer("transport.handshakeTimeoutMillis", (int) defaults.handshakeTimeoutMillis(),
                    1_000, 600_000);
            int idleMillis = integer("transport.clientIdleTimeoutMillis", (int) defaults.idleTimeoutMillis(), 0,
                    86_400_000);
            // A client's hello is under 200 bytes; 1 KiB leaves room for it to grow.
            int unauthenticatedBytes = integer("transport.maxUnauthenticatedFrameBytes",
                    defaults.maxUnauthenticatedFrameBytes(), 1_024, 1 << 20);
            return new ListenerLimits(maxConnections, maxPerAddress, handshakeMillis, idleMillis, unauthenticatedBytes);
        }

        private String text(String field) throws ConfigException {
            String value = properties.getProperty(field);
            if (value == null || value.isBlank()) {
                throw error(field, "is missing");
            }
            return value.trim();
        }

        private int integer(String field, Integer fallback, int min, int max) throws ConfigException {
            String value = properties.getProperty(field);
            if (value == null || value.isBlank()) {
                if (fallback == null) {
                    throw error(field, "is missing");
                }
                return fallback;
            }
            int parsed;
            try {
                parsed = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw error(field, "must be a whole number, was '" + value.trim() + "'");
            }
            if (parsed < min || parsed > max) {
                throw error(field, "must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        }

        private boolean bool(String field, boolean fallback) throws ConfigException {
            String value = properties.getProperty(field);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            return switch (value.trim()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw error(field, "must be true or false, was '" + value.trim() + "'");
            };
        }

        private byte[] hexKey(String field) throws ConfigException {
            String value = text(field);
            if (value.length() != 64) {
                throw error(field, "must be 64 hex characters (an Ed25519 public key), found " + value.length());
            }
            try {
                return HexFormat.of().parseHex(value);
            } catch (IllegalArgumentException e) {
                throw error(field, "must be 64 hex characters (an Ed25519 public key): " + e.getMessage());
            }
        }

        private ConfigException error(String field, String problem) {
            return new ConfigException(file + ": field '" + field + "' " + problem);
        }
    }
}
