package io.pbft.cli.workload;

import io.pbft.client.KvClient;
import io.pbft.client.KvResultException;
import io.pbft.client.PbftClient;
import io.pbft.client.RejectedException;
import io.pbft.config.ClusterConfig;
import io.pbft.crypto.SigningKey;
import io.pbft.statemachine.kv.KvResult;
import io.pbft.transport.Transport;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link KvTarget} on a real cluster: one {@link PbftClient} with its own fresh identity.
 *
 * <p>Its futures complete on the transport's I/O thread ({@code callbackExecutor(Runnable::run)}):
 * the continuations on them are {@link KvClient}'s decoding of the result and the
 * {@link WorkloadRunner}'s, which records the outcome and issues the client's next operation; a
 * call made there is sent without a hand-off. Neither blocks. A caller that attaches a
 * continuation that blocks must use an executor of its own ({@code thenApplyAsync(f, executor)}).
 */
public final class ClusterKv implements KvTarget {

    private final PbftClient client;
    private final KvClient kv;
    private final boolean orderedGets;

    private ClusterKv(PbftClient client, boolean orderedGets) {
        this.client = client;
        this.kv = new KvClient(client);
        this.orderedGets = orderedGets;
    }

    /**
     * A client of {@code config} under a freshly generated identity key, on a transport shared
     * with the run's other clients (a transport per client would cost each its own I/O threads).
     */
    public static ClusterKv connect(ClusterConfig config, long timeoutMillis, SecureRandom random,
            Transport transport) {
        return connect(config, timeoutMillis, random, transport, 1, false);
    }

    /**
     * As {@link #connect(ClusterConfig, long, SecureRandom, Transport)}, with up to {@code window}
     * requests outstanding ({@link PbftClient.Builder#window}): one such target may stand in for
     * several closed-loop clients of a workload, which then share one client identity; gets are
     * ordered, not read-only, if {@code orderedGets}.
     */
    public static ClusterKv connect(ClusterConfig config, long timeoutMillis, SecureRandom random,
            Transport transport, int window, boolean orderedGets) {
        return new ClusterKv(PbftClient.builder()
                .cluster(config)
                .identity(SigningKey.generate(random))
                .timeoutMillis(timeoutMillis)
                .transport(transport)
                .callbackExecutor(Runnable::run)
                .window(window)
                .build(), orderedGets);
    }

    @Override
    public long clientId() {
        return client.clientId();
    }

    @Override
    public CompletableFuture<Optional<String>> get(String key) {
        return orderedGets ? kv.getOrdered(key) : kv.get(key);
    }

    @Override
    public CompletableFuture<Optional<String>> put(String key, String value) {
        return kv.put(key, value);
    }

    @Override
    public CompletableFuture<KvResult.CasOutcome> cas(String key, String expectedOrNull, String newValue) {
        return kv.cas(key, expectedOrNull, newValue);
    }

    @Override
    public CompletableFuture<Optional<String>> delete(String key) {
        return kv.delete(key);
    }

    /**
     * {@link RejectedException}: never sent to a replica. {@link KvResultException}: the store
     * rejected the operation (it executed and changed nothing). A {@code TimeoutException}, a
     * {@code ClientClosedException} or anything else: the request may have executed.
     */
    @Override
    public OpStatus classify(Throwable failure) {
        if (failure instanceof RejectedException || failure instanceof KvResultException) {
            return OpStatus.FAIL;
        }
        return OpStatus.UNKNOWN;
    }

    @Override
    public void close() {
        client.close();
    }
}
