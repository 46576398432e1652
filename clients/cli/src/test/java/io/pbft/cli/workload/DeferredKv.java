package io.pbft.cli.workload;

import io.pbft.statemachine.kv.KvResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A {@link KvTarget} that forwards each call to another and hands the answer to {@code deliverOn}:
 * a stand-in for a transport's I/O thread, a queue the test drains when it chooses, nothing at all
 * (a cluster that never answers), or {@code Runnable::run} (as the other target completes). Like
 * {@link io.pbft.client.KvClient}, it returns a dependent stage, so failures reach the runner
 * wrapped in a {@link java.util.concurrent.CompletionException}. Records the thread each call was
 * made on, and the futures it returned.
 */
final class DeferredKv implements KvTarget {

    private final KvTarget target;
    private final Executor deliverOn;
    final List<Thread> callingThreads = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<?>> returned = Collections.synchronizedList(new ArrayList<>());

    DeferredKv(KvTarget target, Executor deliverOn) {
        this.target = target;
        this.deliverOn = deliverOn;
    }

    /**
     * The threads of the calls after those made on the thread of the first: the runner's caller
     * makes the first call, and the next ones too while each answer comes before the runner has
     * attached its continuation; any later call is made where the call before it completed.
     */
    List<Thread> threadsAfterTheFirstCaller() {
        List<Thread> threads = List.copyOf(callingThreads);
        int first = 0;
        while (first < threads.size() && threads.get(first) == threads.get(0)) {
            first++;
        }
        return threads.subList(first, threads.size());
    }

    @Override
    public long clientId() {
        return target.clientId();
    }

    @Override
    public CompletableFuture<Optional<String>> get(String key) {
        return deferred(target.get(key));
    }

    @Override
    public CompletableFuture<Optional<String>> put(String key, String value) {
        return deferred(target.put(key, value));
    }

    @Override
    public CompletableFuture<KvResult.CasOutcome> cas(String key, String expectedOrNull, String newValue) {
        return deferred(target.cas(key, expectedOrNull, newValue));
    }

    @Override
    public CompletableFuture<Optional<String>> delete(String key) {
        return deferred(target.delete(key));
    }

    @Override
    public OpStatus classify(Throwable failure) {
        return target.classify(failure);
    }

    @Override
    public void close() {
        target.close();
    }

    private <T> CompletableFuture<T> deferred(CompletableFuture<T> answer) {
        callingThreads.add(Thread.currentThread());
        CompletableFuture<T> delivered = new CompletableFuture<>();
        answer.whenComplete((value, failure) -> deliverOn.execute(() -> {
            if (failure == null) {
                delivered.complete(value);
            } else {
                delivered.completeExceptionally(failure);
            }
        }));
        CompletableFuture<T> decoded = delivered.thenApply(value -> value);
        returned.add(decoded);
        return decoded;
    }
}
