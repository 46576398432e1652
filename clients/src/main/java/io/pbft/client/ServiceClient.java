package io.pbft.client;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A typed client of one replicated service: {@link #invoke} takes an operation and completes with
 * its decoded result, so a service's callers never handle bytes.
 *
 * <pre>{@code
 * ServiceClient<MyOp, MyResult> service = new ServiceClient<>(pbftClient, new MyCodec());
 * MyResult result = service.invoke(operation).get();
 * }</pre>
 *
 * {@link KvClient} is one, for the key-value store; the bank ledger of the {@code examples} module
 * is a service author's. A service's own client usually wraps one with a method per operation.
 *
 * Each {@link #invoke} is one ordered request, with the ordering, retries and exceptions of {@link
 * PbftClient#invoke}; in addition, a result the codec cannot decode, or decodes to a rejection,
 * completes the future exceptionally with the codec's {@link ResultException}. An operation the
 * codec cannot encode fails the call at once, and nothing is sent. Thread-safe as the underlying
 * client is.
 *
 * @param <O> the service's operations
 * @param <R> its results
 */
public final class ServiceClient<O, R> implements AutoCloseable {

    private final PbftClient client;
    private final Codec<O, R> codec;

    public ServiceClient(PbftClient client, Codec<O, R> codec) {
        this.client = Objects.requireNonNull(client, "client");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Orders {@code operation} and completes with its decoded result. */
    public CompletableFuture<R> invoke(O operation) {
        return call(operation, client::invoke);
    }

    /**
     * Asks for {@code operation}, which must not change the service's state, read-only ({@link
     * PbftClient#invokeReadOnly}): answered by 2f + 1 matching replicas without ordering, or
     * ordered when they do not agree.
     */
    public CompletableFuture<R> invokeReadOnly(O operation) {
        return call(operation, client::invokeReadOnly);
    }

    private CompletableFuture<R> call(O operation, Function<byte[], CompletableFuture<byte[]>> send) {
        Objects.requireNonNull(operation, "operation");
        byte[] bytes;
        try {
            bytes = codec.encode(operation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send.apply(bytes).thenApply(result -> decode(operation, result));
    }

    public PbftClient client() {
        return client;
    }

    /** Closes the underlying {@link PbftClient}. */
    @Override
    public void close() {
        client.close();
    }

    private R decode(O operation, byte[] result) {
        try {
            return codec.decode(operation, result);
        } catch (ResultException e) {
            throw new CompletionException(e);
        }
    }
}
