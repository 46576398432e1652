package io.pbft.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbft.metrics.MeterId;
import io.pbft.metrics.Metrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private HttpResponse<String> send(PrometheusEndpoint endpoint, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countersGaugesAndLatenciesAreServedInThePrometheusTextFormat() throws Exception {
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 0)) {
            AtomicLong received = new AtomicLong(41);
            Metrics metrics = endpoint.metrics();
            metrics.counter(MeterId.of("pbft.test.received", "frames in").tag("replica", "2"), received::get);
            metrics.gauge(MeterId.of("pbft.test.view", "the view").tag("replica", "2"), () -> 7);
            Metrics.LatencyRecorder latency = metrics.latency(MeterId.of("pbft.test.latency", "request to reply"));
            latency.recordNanos(3_000_000);
            latency.recordNanos(-1); // ignored
            received.incrementAndGet();

            HttpResponse<String> response = send(endpoint, "GET", PrometheusEndpoint.PATH);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(PrometheusEndpoint.CONTENT_TYPE);
            assertThat(response.body().lines())
                    .contains("pbft_test_received_total{replica=\"2\"} 42.0")
                    .contains("pbft_test_view{replica=\"2\"} 7.0")
                    .contains("pbft_test_latency_seconds_count 1")
                    .contains("# HELP pbft_test_view the view")
                    .contains("pbft_test_latency_seconds_bucket{le=\"+Inf\"} 1");
        }
    }

    @Test
    void aRemovedMeterIsNoLongerServed() throws Exception {
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 0)) {
            Metrics.Registration view = endpoint.metrics().gauge(MeterId.of("pbft.test.view", "the view"), () -> 3);
            assertThat(send(endpoint, "GET", PrometheusEndpoint.PATH).body()).contains("pbft_test_view 3.0");

            view.remove();
            view.remove(); // idempotent

            assertThat(send(endpoint, "GET", PrometheusEndpoint.PATH).body()).doesNotContain("pbft_test_view");
        }
    }

    @Test
    void otherPathsAndMethodsAreRefusedWithWhatIsServed() throws Exception {
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 0)) {
            HttpResponse<String> elsewhere = send(endpoint, "GET", "/metrics/../admin");
            assertThat(elsewhere.statusCode()).isEqualTo(404);
            assertThat(elsewhere.body()).contains("/metrics");

            HttpResponse<String> post = send(endpoint, "POST", PrometheusEndpoint.PATH);
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

            HttpResponse<String> head = send(endpoint, "HEAD", PrometheusEndpoint.PATH);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void aPortInUseIsAnIoExceptionNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> PrometheusEndpoint.start("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void closingStopsServing() throws Exception {
        PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 0);
        int port = endpoint.port();
        endpoint.close();

        // The port is free again: a new endpoint binds it.
        try (PrometheusEndpoint again = PrometheusEndpoint.start("127.0.0.1", port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }
}
