package io.pbft.cli.workload;

import io.pbft.statemachine.kv.KvResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a workload client talks to: the replicated key-value store through one client identity.
 * {@link ClusterKv} is the real one; tests use an in-memory store.
 *
 * <p>The {@link WorkloadRunner} calls these methods from continuations of earlier calls, on the
 * thread that completed them (for {@link ClusterKv}, a transport I/O thread): they must return at
 * once, the future incomplete if the answer is not there yet, and never block.
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
