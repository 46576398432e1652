package io.pbft.cli.workload;

import io.pbft.statemachine.kv.KvResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a workload client talks to: the replicated key-value store through one client identity.
 * {@link ClusterKv} is the real one; tests use an in-memory store.
 */
public interface KvTarget extends AutoCloseable {

    /** The id a history records for this client. */
    long clientId();

    CompletableFuture<Optional<String>> get(String key);

    CompletableFuture<Optional<String>> put(String key, String value);

    CompletableFuture<KvResult.CasOutcome> cas(String key, String expectedOrNull, String newValue);

    CompletableFuture<Optional<String>> delete(String key);

    /**
     * How an operation that completed exceptionally with {@code failure} ended: {@link
     * OpStatus#FAIL} only when it certainly did not take effect, else {@link OpStatus#UNKNOWN}.
     */
    OpStatus classify(Throwable failure);

    @Override
    void close();
}
