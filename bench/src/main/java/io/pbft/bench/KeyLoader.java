package io.pbft.bench;

import io.pbft.cli.workload.KvTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes every key of a key space once, so that the state holds all of them before a benchmark
 * measures anything that depends on its size. The keys are {@code k0 .. k(K-1)}, the ones the
 * workload's operations draw from ({@code OpGenerator}), so that later writes overwrite them.
 */
final class KeyLoader {

    private final AtomicInteger nextKey = new AtomicInteger();
    private final AtomicLong failed = new AtomicLong();
    private final int keyCount;
    private final CountDownLatch clientsDone;

    private KeyLoader(int keyCount, int clients) {
        this.keyCount = keyCount;
        this.clientsDone = new CountDownLatch(clients);
    }

    /**
     * Puts {@code k0 .. k(keyCount-1)}, each once, spread over {@code clients}, each with one put
     * outstanding, and returns how many puts failed or have an unknown outcome.
     *
     * @throws IOException if the puts have not all settled within {@code timeout}
     */
    static long putEveryKey(List<? extends KvTarget> clients, int keyCount, Duration timeout)
            throws IOException, InterruptedException {
        KeyLoader loader = new KeyLoader(keyCount, clients.size());
        clients.forEach(loader::putNext);
        if (!loader.clientsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("loading " + keyCount + " keys took longer than " + timeout.toSeconds() + " s");
        }
        return loader.failed.get();
    }

    /**
     * Issues {@code client}'s next put from the completion of its previous one; loops rather than
     * recurses over puts that complete at once (a closed client fails them all immediately).
     */
    private void putNext(KvTarget client) {
        while (true) {
            int key = nextKey.getAndIncrement();
            if (key >= keyCount) {
                clientsDone.countDown();
                return;
            }
            CompletableFuture<?> put = client.put("k" + key, "loaded-" + key);
            if (!put.isDone()) {
                put.whenComplete((previous, failure) -> {
                    if (failure != null) {
                        failed.incrementAndGet();
                    }
                    putNext(client);
                });
                return;
            }
            if (put.isCompletedExceptionally()) {
                failed.incrementAndGet();
            }
        }
    }
}
