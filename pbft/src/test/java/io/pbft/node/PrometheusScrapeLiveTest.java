package io.pbft.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbft.core.ReplicaConfig;
import io.pbft.crypto.KeyFile;
import io.pbft.crypto.KeyIdentity;
import io.pbft.crypto.SigningKey;
import io.pbft.metrics.micrometer.PrometheusEndpoint;
import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A cluster of four in this JVM, replica 0 started as {@code scripts/pbft replica --metrics-port 0}
 * does, scraped over HTTP after it ordered requests: what an operator's Prometheus would read.
 */
class PrometheusScrapeLiveTest {

    /** A checkpoint every 4 sequence numbers, so that 10 requests make one stable. */
    private static final ReplicaConfig PROTOCOL = ReplicaConfig.defaults(4, 0).withWindow(16, 4).withStatusInterval(50);
    private static final int REQUESTS = 10;
    private static final String REPLICA_0 = "{replica=\"0\"}";

    @TempDir
    Path directory;

    @Test
    void theReplicasEndpointServesItsProgressLatencyAndMessageCounts() throws Exception {
        List<SigningKey> keys = LocalCluster.generateKeys(4);
        ReplicaCommand command = new ReplicaCommand();
        ReplicaNode[] nodes = LocalCluster.startWithRetry(keys, PROTOCOL, config -> {
            ReplicaNode[] started = new ReplicaNode[4];
            try {
                started[0] = startByCommand(command, config, keys.get(0));
                for (int id = 1; id < started.length; id++) {
                    started[id] = ReplicaNode.start(config, id, keys.get(id), new KeyValueStateMachine());
                }
                return started;
            } catch (IOException e) {
                LocalCluster.closeAll(started);
                command.closeAfterNode();
                throw e; // a port taken meanwhile: retry on others
            }
        });
        try (RawClient client = RawClient.connect(nodes[0].config())) {
            for (int timestamp = 1; timestamp <= REQUESTS; timestamp++) {
                client.send(0, client.request(timestamp, KvOps.put("k", Integer.toString(timestamp))));
                assertThat(client.reply(0).timestamp()).isEqualTo(timestamp);
            }
            NodeMetrics metrics = nodes[0].metrics();
            Await.until(() -> metrics.commitLatencySamples() == REQUESTS && metrics.stableCheckpoint() >= 8,
                    "replica 0 timed every request and has a stable checkpoint");

            Map<String, Double> scraped = scrape(command.metricsEndpoint().port());

            assertThat(scraped).containsEntry("pbft_core_view" + REPLICA_0, 0.0)
                    .containsEntry("pbft_core_last_executed" + REPLICA_0, (double) REQUESTS)
                    .containsEntry("pbft_core_highest_sequence" + REPLICA_0, (double) REQUESTS)
                    .containsEntry("pbft_core_stable_checkpoint" + REPLICA_0, (double) metrics.stableCheckpoint())
                    .containsEntry("pbft_core_low_watermark" + REPLICA_0, (double) metrics.lowWatermark())
                    .containsEntry("pbft_node_commit_latency_seconds_count" + REPLICA_0, (double) REQUESTS)
                    .containsEntry("pbft_node_commit_latency_seconds_bucket{replica=\"0\",le=\"+Inf\"}",
                            (double) REQUESTS)
                    .containsEntry("pbft_node_dropped_total{reason=\"bad_mac\",replica=\"0\"}", 0.0);
            assertThat(scraped.get("pbft_core_stable_checkpoint" + REPLICA_0)).isGreaterThanOrEqualTo(8.0);
            assertThat(scraped.get("pbft_node_commit_latency_seconds_sum" + REPLICA_0)).isPositive();
            // Requests in, pre-prepares, prepares and commits among the peers: many more than REQUESTS each way.
            assertThat(scraped.get("pbft_transport_frames_received_total" + REPLICA_0)).isGreaterThan(REQUESTS);
            assertThat(scraped.get("pbft_transport_frames_sent_total" + REPLICA_0)).isGreaterThan(REQUESTS);
            assertThat(scraped.keySet()).as("a series for every drop reason")
                    .filteredOn(name -> name.startsWith("pbft_node_dropped_total{"))
                    .hasSize(io.pbft.driver.DropReason.values().length);

            nodes[0].close();
            assertThat(scrape(command.metricsEndpoint().port()).keySet())
                    .as("a closed replica's meters are gone").noneMatch(name -> name.startsWith("pbft_core_view"));
        } finally {
            LocalCluster.closeAll(nodes);
            command.closeAfterNode();
        }
    }

    private ReplicaNode startByCommand(ReplicaCommand command, io.pbft.config.ClusterConfig config, SigningKey key)
            throws IOException {
        Path file = directory.resolve("cluster.properties");
        Files.deleteIfExists(file);
        config.write(file);
        Path keyFile = ReplicaCommand.defaultKeyFile(file, 0);
        if (!Files.exists(keyFile)) {
            KeyFile.write(keyFile, KeyIdentity.replica(0, key));
        }
        new CommandLine(command).parseArgs("--config", file.toString(), "--id", "0", "--metrics-port", "0");
        try {
            return command.start();
        } catch (ReplicaCommand.StartupException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** The samples of a scrape of the text format, by series ({@code name{labels}}). */
    static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Await.TIMEOUT).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + PrometheusEndpoint.PATH)).timeout(Await.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new TreeMap<>();
        response.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }
}
