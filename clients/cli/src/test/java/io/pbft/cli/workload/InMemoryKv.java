package io.pbft.cli.workload;

import io.pbft.statemachine.kv.KeyValueStateMachine;
import io.pbft.statemachine.kv.KvOps;
import io.pbft.statemachine.kv.KvResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A {@link KvTarget} on one shared in-memory store (the real state machine), answering at once.
 * {@link #failEvery} makes every n-th operation of this client end in a rejection or a timeout.
 */
final class InMemoryKv implements KvTarget {

    /** Stands in for the client's "certainly not executed" exception. */
    static final class Rejected extends Exception {
        Rejected() {
            super("rejected by the replicas");
        }
    }

    private final KeyValueStateMachine store;
    private final long clientId;
    private int failEvery;
    private boolean failWithTimeout;
    private long calls;
    boolean closed;

    InMemoryKv(KeyValueStateMachine store, long clientId) {
        this.store = store;
        this.clientId = clientId;
    }

    InMemoryKv failEvery(int n, boolean withTimeout) {
        this.failEvery = n;
        this.failWithTimeout = withTimeout;
        return this;
    }

    @Override
    public long clientId() {
        return clientId;
    }

    @Override
    public CompletableFuture<Optional<String>> get(String key) {
        return answer(KvOps.get(key), result -> result.asValue().value());
    }

    @Override
    public CompletableFuture<Optional<String>> put(String key, String value) {
        return answer(KvOps.put(key, value), result -> result.asPrevious().previous());
    }

    @Override
    public CompletableFuture<KvResult.CasOutcome> cas(String key, String expectedOrNull, String newValue) {
        return answer(KvOps.cas(key, expectedOrNull, newValue), KvResult::asCas);
    }

    @Override
    public CompletableFuture<Optional<String>> delete(String key) {
        return answer(KvOps.delete(key), result -> result.asPrevious().previous());
    }

    @Override
    public OpStatus classify(Throwable failure) {
        return failure instanceof Rejected ? OpStatus.FAIL : OpStatus.UNKNOWN;
    }

    @Override
    public void close() {
        closed = true;
    }

    private <T> CompletableFuture<T> answer(byte[] operation, Function<KvResult, T> decode) {
        calls++;
        if (failEvery > 0 && calls % failEvery == 0) {
            return CompletableFuture.failedFuture(failWithTimeout ? new TimeoutException("no reply") : new Rejected());
        }
        byte[] result;
        synchronized (store) {
            result = store.execute(operation);
        }
        return CompletableFuture.completedFuture(decode.apply(KvResult.decode(result)));
    }
}
