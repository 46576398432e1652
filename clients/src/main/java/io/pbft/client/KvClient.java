package io.pbft.client;

import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import io.pbft.statemachine.kv.Transaction;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A typed client of a cluster running {@link io.pbft.statemachine.kv.KeyValueStateMachine}.
 *
 * <pre>{@code
 * try (KvClient kv = new KvClient(PbftClient.builder().cluster(config).build())) {
 *     kv.put("greeting", "hello").get();                        // Optional.empty(): no previous value
 *     kv.cas("greeting", "hello", "bonjour").get().success();  // true
 *     kv.get("greeting").get();                                 // Optional[bonjour]
 * }
 * }</pre>
 *
 * Each method is one request through a {@link ServiceClient}, with the ordering and exceptions
 * of {@link PbftClient#invoke}, except {@link #get}, which is read-only ({@link
 * PbftClient#invokeReadOnly}: answered by 2f + 1 matching replicas without ordering, or ordered
 * when they do not agree; linearizable as long as every client keeps {@code readOnlySafeWrites}
 * on); {@link #getOrdered} orders the read. In addition, a result the store marks invalid, or one of the wrong
 * kind, completes the future with a {@link KvResultException}. Thread-safe.
 */
public final class KvClient implements AutoCloseable {

    /** The store's answers all decode as a {@link KvResult}; each operation expects one kind of them. */
    private static final Codec<KvCall<?>, KvResult> CODEC = new Codec<>() {
        @Override
        public byte[] encode(KvCall<?> call) {
            return call.bytes();
        }

        @Override
        public KvResult decode(KvCall<?> call, byte[] bytes) throws KvResultException {
            KvResult result = KvResult.decode(bytes);
            if (call.kind().isInstance(result)) {
                return result;
            }
            throw new KvResultException(result instanceof KvResult.Invalid invalid
                    ? invalid.reason()
                    : "expected a " + call.kind().getSimpleName() + " but the store answered " + result);
        }
    };

    /** An operation of the store, with the kind of result it expects. */
    private record KvCall<T extends KvResult>(byte[] bytes, Class<T> kind) {}

    private final ServiceClient<KvCall<?>, KvResult> service;

    public KvClient(PbftClient client) {
        this.service = new ServiceClient<>(client, CODEC);
    }

    /** The value of {@code key}, or empty if it does not exist: a read-only request. */
    public CompletableFuture<Optional<String>> get(String key) {
        return service.invokeReadOnly(new KvCall<>(KvOps.get(key), KvResult.Value.class))
                .thenApply(result -> ((KvResult.Value) result).value());
    }

    /** As {@link #get}, but ordered through the three phases like a write. */
    public CompletableFuture<Optional<String>> getOrdered(String key) {
        return call(KvOps.get(key), KvResult.Value.class).thenApply(KvResult.Value::value);
    }

    /** Writes {@code value} under {@code key}; completes with the previous value. */
    public CompletableFuture<Optional<String>> put(String key, String value) {
        return call(KvOps.put(key, value), KvResult.Previous.class).thenApply(KvResult.Previous::previous);
    }

    /** Removes {@code key}; completes with the previous value. */
    public CompletableFuture<Optional<String>> delete(String key) {
        return call(KvOps.delete(key), KvResult.Previous.class).thenApply(KvResult.Previous::previous);
    }

    /** Writes {@code newValue} if {@code key} holds {@code expectedOrNull} (or is absent when null). */
    public CompletableFuture<KvResult.CasOutcome> cas(String key, String expectedOrNull, String newValue) {
        return call(KvOps.cas(key, expectedOrNull, newValue), KvResult.CasOutcome.class);
    }

    /** Runs {@code transaction} all-or-nothing. */
    public CompletableFuture<KvResult.TransactionOutcome> transaction(Transaction transaction) {
        return call(KvOps.transaction(transaction), KvResult.TransactionOutcome.class);
    }

    public PbftClient client() {
        return service.client();
    }

    /** Closes the underlying {@link PbftClient}. */
    @Override
    public void close() {
        service.close();
    }

    private <T extends KvResult> CompletableFuture<T> call(byte[] operation, Class<T> kind) {
        return service.invoke(new KvCall<>(operation, kind)).thenApply(kind::cast);
    }
}
