package io.pbft.metrics.micrometer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pbft.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in the Prometheus text format, over the JDK's HTTP server, for the meters
 * given to {@link #metrics()}. One thread serves every scrape: a scrape reads a few hundred
 * values, and a scraper asks every few seconds.
 *
 * <pre>{@code
 * try (PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1", 9400)) {
 *     ReplicaNode node = ReplicaNode.start(config, 0, key, service, endpoint.metrics(), 1);
 *     ...
 * }
 * }</pre>
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrometheusEndpoint.class);

    /** The one path served; anything else is a 404, so that a typo shows at once. */
    public static final String PATH = "/metrics";
    /** The text exposition format, version 0.0.4: what every Prometheus server reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final MicrometerMetrics metrics;
    private final HttpServer server;

    private PrometheusEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.metrics = new MicrometerMetrics(registry);
        this.server = server;
    }

    /**
     * Serves {@value #PATH} on {@code host:port} (port 0: any free one, see {@link #port()}). Bind
     * it to 127.0.0.1 unless a scraper on another machine must reach it: the metrics say how busy
     * the replica is and what it dropped, which is nobody else's business.
     *
     * @throws IOException if the port cannot be bound
     */
    public static PrometheusEndpoint start(String host, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            registry.close();
            throw new IOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        PrometheusEndpoint endpoint = new PrometheusEndpoint(registry, server);
        server.createContext("/", endpoint::handle);
        server.start();
        return endpoint;
    }

    /** What to give a replica node so that its meters appear here. */
    public Metrics metrics() {
        return metrics;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, "not found: metrics are at " + PATH + "\n", "text/plain; charset=utf-8");
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "method not allowed: " + PATH + " answers GET\n", "text/plain; charset=utf-8");
            } else {
                respond(exchange, 200, registry.scrape(), CONTENT_TYPE);
            }
        } catch (IOException | RuntimeException e) {
            // The scraper hung up, or a meter's supplier threw: the replica goes on, the next scrape tries again.
            log.debug("a scrape of {} failed", PATH, e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops serving at once (a scrape under way is cut off) and closes the registry. */
    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
